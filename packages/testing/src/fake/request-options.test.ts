import { describe, expect, it } from 'vitest';
import { dryRunOf, isDryRun, readDeleteOptions } from './request-options.js';
import { ApiError } from './status.js';

const query = (q: string) => new URLSearchParams(q);

function statusOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return { code: e.code, message: e.status.message };
    throw e;
  }
  return undefined;
}

describe('readDeleteOptions', () => {
  it('reads dryRun from the body, as kubectl delete --dry-run=server sends it', () => {
    const options = readDeleteOptions(
      '{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}',
      query(''),
    );
    expect(isDryRun(options)).toBe(true);
  });

  it('reads the query only when there is no body, as the apiserver does', () => {
    expect(isDryRun(readDeleteOptions('', query('dryRun=All')))).toBe(true);
    expect(isDryRun(readDeleteOptions('{"kind":"DeleteOptions"}', query('dryRun=All')))).toBe(false);
    expect(readDeleteOptions('', query('propagationPolicy=Orphan&gracePeriodSeconds=0'))).toEqual({
      propagationPolicy: 'Orphan',
      gracePeriodSeconds: 0,
    });
  });

  it('treats null options in the body as unset', () => {
    expect(
      readDeleteOptions('{"orphanDependents":null,"propagationPolicy":"Foreground"}', query('')),
    ).toEqual({
      propagationPolicy: 'Foreground',
    });
  });

  it('answers 422 to an unknown dryRun value or propagationPolicy, and to both orphan options', () => {
    expect(statusOf(() => readDeleteOptions('{"dryRun":["true"]}', query('')))).toEqual({
      code: 422,
      message:
        'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["true"]: supported values: "All"',
    });
    expect(statusOf(() => readDeleteOptions('', query('propagationPolicy=Later')))).toMatchObject({
      code: 422,
    });
    expect(
      statusOf(() => readDeleteOptions('{"orphanDependents":true,"propagationPolicy":"Orphan"}', query(''))),
    ).toEqual({
      code: 422,
      message:
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    });
  });

  it('answers 400 to a body that is not DeleteOptions', () => {
    expect(statusOf(() => readDeleteOptions('{not json', query('')))).toMatchObject({ code: 400 });
    expect(statusOf(() => readDeleteOptions('{"kind":"ConfigMap"}', query('')))).toEqual({
      code: 400,
      message: 'decoded object cannot be converted to DeleteOptions',
    });
  });
});

describe('dryRunOf', () => {
  it('is true for dryRun=All, false without it, and 422 for anything else', () => {
    expect(dryRunOf(query('dryRun=All'), 'CreateOptions')).toBe(true);
    expect(dryRunOf(query(''), 'CreateOptions')).toBe(false);
    expect(statusOf(() => dryRunOf(query('dryRun=true'), 'PatchOptions'))).toEqual({
      code: 422,
      message:
        'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["true"]: supported values: "All"',
    });
  });
});
