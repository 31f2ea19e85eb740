import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import * as a from '../store/actions.js';
import { deepFreeze } from '../store/freeze.js';
import { SECRET_VALUE, secret, TOKEN } from './__fixtures__/session.js';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  it("replaces every value of a Secret's data and stringData, keeps the keys, and leaves the input alone", () => {
    const s: KubernetesObject = deepFreeze({
      ...secret('db', 's1', 1, SECRET_VALUE),
      stringData: { token: 'plain' },
    });
    const out = new Redactor().object(s);
    expect(out.data).toEqual({ password: REDACTED, user: REDACTED });
    expect(out.stringData).toEqual({ token: REDACTED });
    expect(out.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe(REDACTED);
    expect(s.data.password).toBe(SECRET_VALUE);
    expect(JSON.stringify(out)).not.toContain(SECRET_VALUE);
  });

  it('gives the same copy for the same object, and redacting twice changes nothing more', () => {
    const r = new Redactor();
    const s = secret('db', 's1', 1, SECRET_VALUE);
    const once = r.object(s);
    expect(r.object(s)).toBe(once);
    expect(JSON.stringify(new Redactor().object(once))).toBe(JSON.stringify(once));
  });

  it('redacts Secrets without a kind when they come from a Secret watch', () => {
    const { kind: _k, ...bare } = secret('db', 's1', 1, SECRET_VALUE);
    const action = new Redactor().action(a.listPage({ key: 'Secret|ns||', items: [bare] }));
    expect(JSON.stringify(action)).not.toContain(SECRET_VALUE);
  });

  it('scrubs bearer tokens, JWTs and token parameters from error messages and poison lines', () => {
    const r = new Redactor();
    const status = r.action(
      a.reflectorStatus({
        key: 'k',
        phase: 'backing-off',
        error: {
          message: `failed: Authorization: Bearer abc.def-123 and ${TOKEN} and ?access_token=xyz&x=1`,
          at: 't',
        },
      }),
    );
    const msg = (status.payload.error as { message: string }).message;
    expect(msg).toBe(
      `failed: Authorization: Bearer ${REDACTED} and ${REDACTED} and ?access_token=${REDACTED}&x=1`,
    );
    const poison = r.action(a.poisonLine({ key: 'ConfigMap|||', text: 'bad line token=s3cr3t' }));
    expect(poison.payload.text).toBe(`bad line token=${REDACTED}`);
  });

  it('applies configured paths to the kinds they name only', () => {
    const r = new Redactor({ paths: [{ kind: 'ConfigMap', path: 'data.password' }, 'spec.credentials'] });
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { uid: 'u' },
      data: { password: 'p', other: 'o' },
    };
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { uid: 'v' },
      data: { password: 'p' },
      spec: { credentials: { user: 'x' } },
    };
    expect(r.object(cm).data).toEqual({ password: REDACTED, other: 'o' });
    expect(r.object(svc).data).toEqual({ password: 'p' });
    expect(r.object(svc).spec).toEqual({ credentials: REDACTED });
    expect(r.policy.paths).toEqual([
      { kind: 'ConfigMap', path: 'data.password' },
      { path: 'spec.credentials' },
    ]);
  });

  it('redacts nothing when turned off explicitly', () => {
    const r = new Redactor(false);
    const s = secret('db', 's1', 1, SECRET_VALUE);
    expect(r.object(s)).toBe(s);
    expect(r.active).toBe(false);
  });
});
