/** The Age columns' field. */
const AGE = 'metadata.creationTimestamp';

/**
 * The fields each table shows (columns.tsx, Summary.tsx), by query: the projection its objects
 * are held in (see `connect`). A pod as a watch sends it is mostly spec, status, managedFields,
 * owner references and annotations the tables never read; held projected, 30k pods cost a
 * fraction of the bytes to read and parse and of the heap. A column that reads a new field adds
 * it here, or shows nothing.
 *
 * By query, not one list for every kind: a pod projected to the nodes' fields would keep its own
 * `status.conditions` (the nodes' Ready column reads theirs), a fifth of a projected pod's bytes
 * that no pod column reads. Of metadata, each keeps what `keepFields` always keeps (name,
 * namespace, uid, resourceVersion, labels, deletionTimestamp) and `creationTimestamp` (the Age
 * column). Measured on the real API server's 30k pods, JSON bytes a pod: 913 with every kind's
 * fields and whole metadata, 740 with the pods' own, 480 with their metadata projected too.
 */
export const FIELDS_OF_QUERY = {
  // Namespaces' Status, and the pods summary
  namespaces: [AGE, 'status.phase'],
  deployments: [
    AGE,
    'spec.replicas',
    'status.replicas',
    'status.readyReplicas',
    'status.updatedReplicas',
    'status.availableReplicas',
  ],
  replicasets: [AGE, 'spec.replicas', 'status.replicas', 'status.readyReplicas'],
  pods: [
    AGE,
    'status.phase',
    'spec.nodeName',
    'spec.containers.name',
    'status.containerStatuses.ready',
    'status.containerStatuses.restartCount',
  ],
  services: [AGE, 'spec.type', 'spec.clusterIP', 'spec.ports.port', 'spec.ports.protocol'],
  // ConfigMaps: the table shows the keys of data; routing tables are ConfigMaps, read from data.
  configmaps: [AGE, 'data'],
  events: [
    AGE,
    'type',
    'reason',
    'message',
    'involvedObject.kind',
    'involvedObject.name',
    'lastTimestamp',
    'eventTime',
  ],
  nodes: [AGE, 'status.conditions.type', 'status.conditions.status', 'status.nodeInfo.kubeletVersion'],
  // Mappings (examples/controller)
  mappings: [AGE, 'spec.prefix', 'spec.service', 'spec.port'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A query of the dashboard, named after its resource (`pods`): see `queries` in cluster.ts. */
export type ShownQuery = keyof typeof FIELDS_OF_QUERY;

/** The kind of each query's objects, for projecting an object by its `kind`. */
export const KIND_OF_QUERY: Readonly<Record<ShownQuery, string>> = {
  namespaces: 'Namespace',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  pods: 'Pod',
  services: 'Service',
  configmaps: 'ConfigMap',
  events: 'Event',
  nodes: 'Node',
  mappings: 'Mapping',
};

/**
 * Every field any table shows: the projection of an object whose kind is not known (a list item
 * from an API server behind `kubectl proxy`, which carries none).
 */
export const SHOWN_FIELDS: readonly string[] = [...new Set(Object.values(FIELDS_OF_QUERY).flat())];
