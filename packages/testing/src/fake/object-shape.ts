import { apiVersionOf, type KubernetesObject } from '@kates/core';
import { isObject, type JsonObject } from './json.js';
import type { ServedResource } from './registry.js';
import { errors } from './status.js';

/** How the fake shapes the objects it stores and answers: key order, versions, request bodies. */

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Metadata maps and lists that Go writes with `omitempty`: empty, they are left out (a patch that removes every label). */
const OMIT_EMPTY = new Set(['labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']);

const omitted = (k: string, v: unknown) =>
  v === undefined ||
  (OMIT_EMPTY.has(k) && (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0));

/** Metadata in the apiserver's key order, undefined values (and empty `omitempty` fields) left out. */
export function orderedMetadata(meta: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of METADATA_ORDER) if (!omitted(k, meta[k])) out[k] = meta[k];
  for (const [k, v] of Object.entries(meta)) if (!(k in out) && !omitted(k, v)) out[k] = v;
  return out;
}

/** Builds an object with the apiserver's key order (kind, apiVersion, metadata, the rest). */
export function ordered(r: ServedResource, obj: JsonObject): KubernetesObject {
  const { kind: _k, apiVersion: _a, metadata, ...rest } = obj;
  return {
    kind: r.kind,
    apiVersion: storageApiVersion(r),
    metadata: orderedMetadata((metadata ?? {}) as JsonObject),
    ...rest,
  };
}

/** The object at a resourceVersion (written where the apiserver writes it). */
export function withRv(obj: KubernetesObject, resourceVersion: string | undefined): KubernetesObject {
  return { ...obj, metadata: orderedMetadata({ ...obj.metadata, resourceVersion }) };
}

/** Objects are stored at the resource's storage version; reads at other versions relabel them. */
function storageApiVersion(r: ServedResource): string {
  return apiVersionOf({ group: r.group, version: r.storageVersionName ?? r.version });
}

/** The object as a client asked for it: at the requested version. */
export function atVersion(r: ServedResource, obj: KubernetesObject): KubernetesObject {
  const apiVersion = apiVersionOf(r);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** Parses a JSON request body, as the apiserver's decoder reports failures (400). */
export function parseJsonBody(r: ServedResource, text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${r.kind}): couldn't get version/kind; ` +
        `json parse error: ${(e as Error).message} (${text.slice(0, 80)})`,
    );
  }
  if (!isObject(parsed))
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${r.kind})`);
  return parsed;
}
