/**
 * Every field the dashboard shows besides `metadata` (columns.tsx, Summary.tsx), for all the kinds
 * it watches: the projection its objects are held in (see `connect`). A pod as a watch sends it
 * is mostly spec, status and managedFields the tables never read; held projected, 30k pods cost a
 * fraction of the bytes to read and parse and of the heap. A column that reads a new field adds
 * it here, or shows nothing.
 */
export const SHOWN_FIELDS = [
  // Namespaces, Pods
  'status.phase',
  // Deployments, ReplicaSets
  'spec.replicas',
  'status.replicas',
  'status.readyReplicas',
  'status.updatedReplicas',
  'status.availableReplicas',
  // Pods
  'spec.nodeName',
  'spec.containers.name',
  'status.containerStatuses.ready',
  'status.containerStatuses.restartCount',
  // Services
  'spec.type',
  'spec.clusterIP',
  'spec.ports.port',
  'spec.ports.protocol',
  // ConfigMaps: the table shows the keys of data.
  'data',
  // Events
  'type',
  'reason',
  'message',
  'involvedObject.kind',
  'involvedObject.name',
  'lastTimestamp',
  'eventTime',
  // Nodes
  'status.conditions.type',
  'status.conditions.status',
  'status.nodeInfo.kubeletVersion',
  // Mappings (examples/controller); routing tables are ConfigMaps, read from data.
  'spec.prefix',
  'spec.service',
  'spec.port',
] as const;
