import type { KubernetesObject } from '../model/object.js';

/**
 * One change of one object since the last update of a snapshot. The last state wins: an object
 * modified three times is one `update`; one added and deleted between two updates is nothing.
 */
export interface Delta {
  readonly type: 'add' | 'update' | 'delete';
  /** The snapshot field (query name). */
  readonly query: string;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
  /** The object: its new state, or its last known state for a delete. */
  readonly object: KubernetesObject;
}
