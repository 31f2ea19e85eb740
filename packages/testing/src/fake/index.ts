/**
 * The in-memory Kubernetes API server: for speed, fault injection, and the examples' embedded
 * default. It is trusted only as far as the contract suite (../contract) passes on it and on a
 * real kube-apiserver alike.
 *
 * Design choices, and why:
 * - https on 127.0.0.1 with a CA made for each server (Node's crypto, no openssl binary) and a
 *   required bearer token, so kubectl and client-go, which send a token only over TLS, work with
 *   its kubeconfig as they are; plain http on a second port for tests that fetch without a CA.
 * - What kubectl reads besides objects: OpenAPI v3 and v2 built from client-node's models and CRD
 *   schemas (`apply`, `diff`, `explain`, `--validate=strict`), Table answers with the apiserver's
 *   printer columns and CRD `additionalPrinterColumns` (`get`), and self reviews (`auth whoami`,
 *   `auth can-i`). `dryRun` is honoured on every write, the DeleteOptions body included.
 * - One global resourceVersion counter and a window of recent events (historySize), as etcd and
 *   the watch cache give the apiserver: watches and paged lists start from any retained version;
 *   older ones get 410 Expired exactly as the apiserver words it (an ERROR event in a 200 watch).
 * - Stored objects are frozen and serialized once; lists stream chunk by chunk, so 100k objects
 *   never become one string.
 * - Determinism: uids, generated names and random faults come from a seeded source.
 * - The controllers whose work clients observe are imitated: the apiserver's (CRD establishing and
 *   cleanup) and, from kube-controller-manager, namespace finalization and the garbage collector
 *   (foreground and orphan deletion, dependents of deleted owners). Workload controllers are not.
 * - Users as on the test cluster: the admin token, and `nobody` without RBAC rights (403 but for
 *   discovery). Writes check field names against client-node's models (built-in kinds) or the
 *   CRD's schema (custom resources), as `?fieldValidation=` says.
 * @packageDocumentation
 */
export type {
  FailureRule,
  FaultCounters,
  Faults,
  KubeVerb,
  RandomFailureRule,
  RequestMatch,
  WatchMatch,
} from './faults.js';
export { sampleClusterObjects } from './sample.js';
export { type FakeApiServer, type FakeApiServerOptions, startFakeApiServer } from './server.js';
