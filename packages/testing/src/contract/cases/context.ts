import type { ContractHttp } from '../http.js';
import type { ContractTarget } from '../target.js';

/** What every case gets: the server, a namespace of its own, unique names. */
export interface ContractContext {
  readonly target: () => ContractTarget;
  readonly http: () => ContractHttp;
  /** A namespace created for this run of the suite. */
  readonly namespace: () => string;
  /** A name no other test of this run uses. */
  readonly name: (prefix: string) => string;
}

export const configMaps = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
export const deployments = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

/** A minimal valid Deployment. */
export function deployment(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
      },
    },
    ...extra,
  };
}

/** `metadata` without the fields a server makes up (for comparing two servers' answers). */
export function stableMetadata(meta: Record<string, unknown>) {
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    managedFields: _m,
    deletionTimestamp: _d,
    ...rest
  } = meta;
  return rest;
}

/** A failure `Status` as both servers answer it; `details` left out where the apiserver omits them. */
export function failure(
  code: number,
  reason: string | undefined,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

export const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
