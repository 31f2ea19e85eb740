import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse, apiErrorFromStatus } from './api-error.js';
import {
  invalidCauses,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isUnserved,
} from './predicates.js';
import { UnknownKindError } from './unknown-kind.js';

const context = { verb: 'create', resource: 'deployments.apps', name: 'web', namespace: 'shop' };

function status(code: number, reason: string, message: string, details: object = {}): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    details,
  });
}

describe('ApiError', () => {
  it('carries the code, reason and message of a Status, and says which request failed', () => {
    const e = apiErrorFromResponse(
      409,
      status(409, 'AlreadyExists', 'deployments.apps "web" already exists'),
      context,
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe(
      'create deployments.apps "web" in namespace "shop": 409 AlreadyExists: deployments.apps "web" already exists',
    );
    expect([e.code, e.reason, e.verb, e.resource, e.objectName, e.namespace]).toEqual([
      409,
      'AlreadyExists',
      'create',
      'deployments.apps',
      'web',
      'shop',
    ]);
    expect(isAlreadyExists(e)).toBe(true);
    expect(isConflict(e)).toBe(false);
  });

  it('gives the field causes of an Invalid answer', () => {
    const e = apiErrorFromResponse(
      422,
      status(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1', {
        causes: [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1' }],
      }),
      context,
    );
    expect(isInvalid(e)).toBe(true);
    expect(invalidCauses(e)).toEqual([
      { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1' },
    ]);
    expect(invalidCauses(new Error('x'))).toEqual([]);
  });

  it('reads a body that is not a Status by its status code, and keeps only its start', () => {
    const e = apiErrorFromResponse(503, `<html>${'x'.repeat(1000)}</html>`, {
      verb: 'list',
      resource: 'pods',
    });
    expect(e.reason).toBe('ServiceUnavailable');
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toMatch(/^list pods: 503 ServiceUnavailable: <html>x+\.\.\.$/);
    expect(isNotFound(apiErrorFromResponse(404, '404 page not found', context))).toBe(true);
    expect(isForbidden(apiErrorFromResponse(403, '', context))).toBe(true);
  });

  it('says a 403 is RBAC unless the namespace is terminating, where it says to wait or write elsewhere', () => {
    const denied = apiErrorFromResponse(
      403,
      status(403, 'Forbidden', 'deployments.apps is forbidden: User "dev" cannot create resource'),
      context,
    );
    expect(denied.message).toMatch(/lacks RBAC permission/);
    // As kube-apiserver's NamespaceLifecycle admission plugin answers it.
    const terminating = apiErrorFromResponse(
      403,
      status(
        403,
        'Forbidden',
        'deployments.apps "web" is forbidden: unable to create new content in namespace shop because it is being terminated',
        {
          name: 'web',
          group: 'apps',
          kind: 'deployments',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: 'namespace shop is being terminated',
              field: 'metadata.namespace',
            },
          ],
        },
      ),
      context,
    );
    expect(isForbidden(terminating)).toBe(true);
    expect(terminating.message).not.toMatch(/RBAC/);
    expect(terminating.message).toMatch(
      /\(the namespace is being deleted: wait until it is gone and create it again, or write to another namespace\)$/,
    );
  });

  it('treats Gone and Expired as gone', () => {
    expect(
      isGone(apiErrorFromResponse(410, status(410, 'Expired', 'too old resource version: 1 (500)'), context)),
    ).toBe(true);
    expect(isGone(apiErrorFromResponse(410, status(410, 'Gone', 'gone'), context))).toBe(true);
    expect(isGone(apiErrorFromResponse(404, status(404, 'NotFound', 'missing'), context))).toBe(false);
  });

  it('answers false for anything that is not an ApiError', () => {
    for (const value of [new Error('NotFound'), undefined, { code: 404, reason: 'NotFound' }]) {
      expect(isNotFound(value)).toBe(false);
    }
  });

  it('keeps the retry delay a server asks for', () => {
    const e = apiErrorFromResponse(
      429,
      status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 }),
      context,
    );
    expect(e.retryAfterSeconds).toBe(3);
  });
});

describe('ApiError of a list or watch', () => {
  const watch = {
    verb: 'watch',
    resource: 'configmaps',
    namespace: 'shop',
    labelSelector: 'app=web',
    fieldSelector: '',
  };

  it('names the watch and its selectors, and says what to do after a 410', () => {
    const e = apiErrorFromStatus(
      {
        kind: 'Status',
        apiVersion: 'v1',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version: 5 (90)',
      },
      watch,
    );
    expect(e.message).toBe(
      'watch configmaps in namespace "shop" (labels app=web): 410 Expired: too old resource version: 5 (90)' +
        ' (the resourceVersion or continue token is older than what etcd keeps: list again)',
    );
    expect(isGone(e)).toBe(true);
    expect([e.labelSelector, e.fieldSelector]).toEqual(['app=web', undefined]);
  });

  it('reads the code of an ERROR event from its Status, 500 where it names none', () => {
    const e = apiErrorFromStatus({ kind: 'Status', message: 'internal error' }, watch);
    expect([e.code, e.reason]).toEqual([500, 'InternalError']);
  });

  it('takes the retry delay from the Retry-After header where the Status names none', () => {
    expect(apiErrorFromResponse(429, '', watch, '2').retryAfterSeconds).toBe(2);
    expect(apiErrorFromResponse(429, 'Too many requests', watch, 'soon').retryAfterSeconds).toBeUndefined();
    const both = status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 });
    expect(apiErrorFromResponse(429, both, watch, '7').retryAfterSeconds).toBe(3);
  });
});

describe('isUnserved', () => {
  it('is true for a kind discovery does not know, and for a 404 to a whole collection', () => {
    expect(isUnserved(new UnknownKindError('gadgets', []))).toBe(true);
    expect(isUnserved(Object.assign(new Error('not served'), { unserved: true }))).toBe(true);
    for (const verb of ['list', 'watch']) {
      expect(
        isUnserved(
          apiErrorFromResponse(404, '404 page not found', { verb, resource: 'gadgets.example.com' }),
        ),
      ).toBe(true);
    }
  });

  it('is false for a missing object, another code, or anything else', () => {
    expect(isUnserved(apiErrorFromResponse(404, '', context))).toBe(false);
    expect(isUnserved(apiErrorFromResponse(404, '', { verb: 'get', resource: 'pods', name: 'web' }))).toBe(
      false,
    );
    expect(isUnserved(apiErrorFromResponse(403, '', { verb: 'list', resource: 'pods' }))).toBe(false);
    for (const value of [new Error('404'), undefined, { unserved: true }, { code: 404 }]) {
      expect(isUnserved(value)).toBe(false);
    }
  });
});

describe('UnknownKindError', () => {
  it('names the closest names and where to look', () => {
    const e = new UnknownKindError('svcs', ['svc', 'services']);
    expect(e.message).toBe(
      'unknown kind "svcs": the server has no resource type by that name. Did you mean "svc", "services"? Run ' +
        '`kubectl api-resources` to list what the server serves; a CRD created just now resolves once it is Established.',
    );
    expect(e.unserved).toBe(true);
  });
});
