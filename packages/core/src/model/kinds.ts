import type * as k8s from '@kubernetes/client-node';
import type { Jsonify } from './json.js';

type Typed<T, ApiVersion extends string, Kind extends string> = Jsonify<T> & {
  apiVersion?: ApiVersion;
  kind?: Kind;
};

// Plain JSON aliases of the common kinds. Timestamps are strings, as on the wire.
export type Pod = Typed<k8s.V1Pod, 'v1', 'Pod'>;
export type Service = Typed<k8s.V1Service, 'v1', 'Service'>;
export type ConfigMap = Typed<k8s.V1ConfigMap, 'v1', 'ConfigMap'>;
export type Secret = Typed<k8s.V1Secret, 'v1', 'Secret'>;
export type Namespace = Typed<k8s.V1Namespace, 'v1', 'Namespace'>;
export type Node = Typed<k8s.V1Node, 'v1', 'Node'>;
export type Event = Typed<k8s.CoreV1Event, 'v1', 'Event'>;
export type ServiceAccount = Typed<k8s.V1ServiceAccount, 'v1', 'ServiceAccount'>;
export type Endpoints = Typed<k8s.V1Endpoints, 'v1', 'Endpoints'>;
export type PersistentVolumeClaim = Typed<k8s.V1PersistentVolumeClaim, 'v1', 'PersistentVolumeClaim'>;
export type Deployment = Typed<k8s.V1Deployment, 'apps/v1', 'Deployment'>;
export type ReplicaSet = Typed<k8s.V1ReplicaSet, 'apps/v1', 'ReplicaSet'>;
export type StatefulSet = Typed<k8s.V1StatefulSet, 'apps/v1', 'StatefulSet'>;
export type DaemonSet = Typed<k8s.V1DaemonSet, 'apps/v1', 'DaemonSet'>;
export type Job = Typed<k8s.V1Job, 'batch/v1', 'Job'>;
export type CronJob = Typed<k8s.V1CronJob, 'batch/v1', 'CronJob'>;
export type Ingress = Typed<k8s.V1Ingress, 'networking.k8s.io/v1', 'Ingress'>;
export type Lease = Typed<k8s.V1Lease, 'coordination.k8s.io/v1', 'Lease'>;
export type EndpointSlice = Typed<k8s.V1EndpointSlice, 'discovery.k8s.io/v1', 'EndpointSlice'>;
export type CustomResourceDefinition = Typed<
  k8s.V1CustomResourceDefinition,
  'apiextensions.k8s.io/v1',
  'CustomResourceDefinition'
>;
export type Role = Typed<k8s.V1Role, 'rbac.authorization.k8s.io/v1', 'Role'>;
export type ClusterRole = Typed<k8s.V1ClusterRole, 'rbac.authorization.k8s.io/v1', 'ClusterRole'>;
export type RoleBinding = Typed<k8s.V1RoleBinding, 'rbac.authorization.k8s.io/v1', 'RoleBinding'>;
export type ClusterRoleBinding = Typed<
  k8s.V1ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1',
  'ClusterRoleBinding'
>;

/**
 * Maps the kinds and names kubectl accepts for built-in resources to their JSON types, so that
 * `client.get('deploy', ...)` is typed `Deployment`. Unknown names are untyped objects.
 */
export interface KindTypes {
  Pod: Pod;
  pod: Pod;
  pods: Pod;
  po: Pod;
  Service: Service;
  service: Service;
  services: Service;
  svc: Service;
  ConfigMap: ConfigMap;
  configmap: ConfigMap;
  configmaps: ConfigMap;
  cm: ConfigMap;
  Secret: Secret;
  secret: Secret;
  secrets: Secret;
  Namespace: Namespace;
  namespace: Namespace;
  namespaces: Namespace;
  ns: Namespace;
  Node: Node;
  node: Node;
  nodes: Node;
  no: Node;
  Event: Event;
  event: Event;
  events: Event;
  ev: Event;
  ServiceAccount: ServiceAccount;
  serviceaccount: ServiceAccount;
  serviceaccounts: ServiceAccount;
  sa: ServiceAccount;
  Endpoints: Endpoints;
  endpoints: Endpoints;
  ep: Endpoints;
  PersistentVolumeClaim: PersistentVolumeClaim;
  persistentvolumeclaims: PersistentVolumeClaim;
  pvc: PersistentVolumeClaim;
  Deployment: Deployment;
  deployment: Deployment;
  deployments: Deployment;
  deploy: Deployment;
  'deployments.apps': Deployment;
  'Deployment.v1.apps': Deployment;
  'apps/v1/Deployment': Deployment;
  ReplicaSet: ReplicaSet;
  replicaset: ReplicaSet;
  replicasets: ReplicaSet;
  rs: ReplicaSet;
  StatefulSet: StatefulSet;
  statefulset: StatefulSet;
  statefulsets: StatefulSet;
  sts: StatefulSet;
  DaemonSet: DaemonSet;
  daemonset: DaemonSet;
  daemonsets: DaemonSet;
  ds: DaemonSet;
  Job: Job;
  job: Job;
  jobs: Job;
  CronJob: CronJob;
  cronjob: CronJob;
  cronjobs: CronJob;
  cj: CronJob;
  Ingress: Ingress;
  ingress: Ingress;
  ingresses: Ingress;
  ing: Ingress;
  Lease: Lease;
  lease: Lease;
  leases: Lease;
  EndpointSlice: EndpointSlice;
  endpointslices: EndpointSlice;
  CustomResourceDefinition: CustomResourceDefinition;
  customresourcedefinitions: CustomResourceDefinition;
  crd: CustomResourceDefinition;
  crds: CustomResourceDefinition;
  Role: Role;
  roles: Role;
  ClusterRole: ClusterRole;
  clusterroles: ClusterRole;
  RoleBinding: RoleBinding;
  rolebindings: RoleBinding;
  ClusterRoleBinding: ClusterRoleBinding;
  clusterrolebindings: ClusterRoleBinding;
}

/** The JSON type of a kind name: a known alias, or an untyped object. */
export type TypeOfKind<K extends string, Fallback> = K extends keyof KindTypes ? KindTypes[K] : Fallback;
