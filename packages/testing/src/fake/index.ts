/**
 * The in-memory Kubernetes API server: for speed, fault injection, and the examples' embedded
 * default. It is trusted only as far as the contract suite (../contract) passes on it and on a
 * real kube-apiserver alike.
 *
 * Design choices, and why:
 * - Plain http on 127.0.0.1 with a required bearer token: no certificates to generate, yet
 *   clients authenticate as against a real cluster (401 without the token). The kubeconfig says
 *   `insecure-skip-tls-verify: true` because @kubernetes/client-node refuses http otherwise.
 * - One global resourceVersion counter and a window of recent events (historySize), as etcd and
 *   the watch cache give the apiserver: watches and paged lists start from any retained version;
 *   older ones get 410 Expired exactly as the apiserver words it (an ERROR event in a 200 watch).
 * - Stored objects are frozen and serialized once; lists stream chunk by chunk, so 100k objects
 *   never become one string.
 * - Determinism: uids, generated names and random faults come from a seeded source.
 * - The apiserver's own controllers that clients observe are imitated (CRD establishing and
 *   cleanup, namespace finalization); kube-controller-manager's others are not (no GC).
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
