import type { V1ListMeta, V1ObjectMeta, V1OwnerReference, V1Status } from '@kubernetes/client-node';
import type { Jsonify } from './json.js';

/** `metadata` of any object, as JSON. */
export type ObjectMeta = Jsonify<V1ObjectMeta>;
/**
 * `metadata` of a list, as JSON. client-node names `continue` `_continue` (a reserved word in its
 * generator); on the wire, and here, it is `continue`.
 */
export type ListMeta = Omit<Jsonify<V1ListMeta>, '_continue'> & { continue?: string };
/** An owner reference, as JSON. */
export type OwnerReference = Jsonify<V1OwnerReference>;
/** A `Status` object, as the API server returns it with errors. */
export type Status = Jsonify<V1Status>;

/**
 * Any Kubernetes object, typed or not. Untyped objects (CRDs, kinds kates has no alias for) are
 * plain JSON with at least `apiVersion`, `kind` and `metadata`.
 */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: untyped objects carry arbitrary fields
  [field: string]: any;
}

/** A list response: `items` plus list metadata (`resourceVersion`, `continue`). */
export interface KubernetesList<T extends KubernetesObject = KubernetesObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
  items: T[];
}

/** Refers to one object: its kind (any form kubectl accepts) and name, and its namespace if namespaced. */
export interface ObjectReference {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The watch event types of the Kubernetes watch protocol. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream, parsed. */
export interface WatchEvent<T extends KubernetesObject = KubernetesObject> {
  type: WatchEventType;
  object: T;
}

/** The uid of an object, or undefined. */
export function uidOf(obj: KubernetesObject | undefined): string | undefined {
  return obj?.metadata?.uid;
}

/** `namespace/name`, or `name` for cluster-scoped objects: how kubectl and logs name an object. */
export function nameOf(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '<unnamed>';
  return ns ? `${ns}/${name}` : name;
}
