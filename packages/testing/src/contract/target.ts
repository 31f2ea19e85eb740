import { ContractHttp } from './http.js';

/** A server whose watch history can be expired on demand, started for one test. */
export interface ExpiringServer {
  readonly http: ContractHttp;
  /** Makes every resourceVersion older than now expire (etcd compaction / faults.compact()). */
  expireHistory(): Promise<void>;
  stop(): Promise<void>;
}

/** A server the contract runs against. */
export interface ContractTarget {
  readonly kind: 'real' | 'fake';
  readonly http: ContractHttp;
  /** The same server as the test cluster's user without RBAC rights (`nobody`). */
  readonly nobody: ContractHttp;
  /** Starts a server of the same kind for tests that would disturb others (compaction, restarts). */
  expiringServer(): Promise<ExpiringServer>;
  stop(): Promise<void>;
}

export { ContractHttp };
