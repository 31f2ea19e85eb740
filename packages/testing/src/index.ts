/**
 * `@kates/testing`: Kubernetes API servers to test a kates program against. The in-memory fake
 * (`startFakeApiServer`: fast, seeded, with faults), a real kube-apiserver and etcd built from Go
 * modules (`startCluster`), and proxies that cut, stall or slow what passes between them and a
 * client (`startFaultProxy`, `startSlowedWatches`). The contract suite holds the fake and the real
 * server to the same behaviour. `npm run api:check` compares this list with `api/testing.api.md`.
 * @packageDocumentation
 */

export {
  type Cluster,
  type ClusterBinaries,
  type ClusterOptions,
  ensureClusterBinaries,
  GoMissingError,
  startCluster,
} from './cluster/index.js';
export { type EventuallyOptions, eventually } from './eventually.js';
export {
  type FailureRule,
  type FakeApiServer,
  type FakeApiServerOptions,
  type FaultCounters,
  type Faults,
  type KubeVerb,
  type RandomFailureRule,
  type RequestMatch,
  sampleClusterObjects,
  startFakeApiServer,
  type WatchMatch,
} from './fake/index.js';
export { ensureProtobufTranscoder } from './fake/protobuf/build.js';
export {
  type FaultProxy,
  type FaultProxyCounters,
  type FaultProxyOptions,
  kubeconfigVia,
  type SlowedWatches,
  type SlowedWatchesCounters,
  type SlowedWatchesOptions,
  type SlowedWatchRule,
  startFaultProxy,
  startSlowedWatches,
} from './proxy/index.js';
