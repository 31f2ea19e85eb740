import { type Client, isNotFound, type Lease, type ObjectMeta } from '@kates/core';
import { type LeaderElectionRecord, type ObservedLease, recordOf, specOf } from './lease-record.js';

/** The kind the lock names to the kates client. */
export const LEASE_KIND = 'leases.coordination.k8s.io';

/**
 * Where an election keeps its record: get, create, and update guarded by resourceVersion. Errors
 * are the client's (`ApiError` with 404, 409 AlreadyExists, 409 Conflict; `TransportError`).
 */
export interface LeaseLock {
  /** `lease <namespace>/<name>`, for messages. */
  readonly description: string;
  /** The Lease, or undefined when it does not exist. */
  get(signal?: AbortSignal): Promise<ObservedLease | undefined>;
  /** Creates the Lease with this record; 409 AlreadyExists if someone created it first. */
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<ObservedLease>;
  /** Replaces the record of `current`, sending its resourceVersion: 409 Conflict if the Lease moved since. */
  update(current: ObservedLease, record: LeaderElectionRecord, signal?: AbortSignal): Promise<ObservedLease>;
}

/** Where a {@link leaseLock} keeps its Lease. */
export interface LeaseLockOptions {
  readonly name: string;
  /** The client's namespace by default. */
  readonly namespace?: string;
  /** Labels set when the Lease is created. */
  readonly labels?: Readonly<Record<string, string>>;
}

function observed(lease: Lease): ObservedLease {
  return { lease, record: recordOf(lease), resourceVersion: lease.metadata?.resourceVersion ?? '' };
}

/** A {@link LeaseLock} on a `coordination.k8s.io/v1` Lease through the kates client. */
export function leaseLock(client: Client, options: LeaseLockOptions): LeaseLock {
  const namespace = options.namespace || client.namespace;
  const { name } = options;
  return {
    description: `lease ${namespace}/${name}`,
    async get(signal) {
      try {
        return observed(await client.get<Lease>(LEASE_KIND, name, { namespace, signal }));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async create(record, signal) {
      const metadata: ObjectMeta = {
        name,
        namespace,
        ...(options.labels ? { labels: { ...options.labels } } : {}),
      };
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata,
        spec: specOf(record),
      };
      return observed(await client.create(lease, { signal }));
    },
    async update(current, record, signal) {
      // The read resourceVersion travels in metadata: the API server answers 409 Conflict if
      // anyone wrote the Lease since, so two candidates can never both win one expiry.
      const lease: Lease = {
        ...current.lease,
        metadata: { ...current.lease.metadata, resourceVersion: current.resourceVersion },
        spec: { ...current.lease.spec, ...specOf(record) },
      };
      return observed(await client.update(lease, { signal }));
    },
  };
}
