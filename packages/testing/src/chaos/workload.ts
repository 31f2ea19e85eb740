import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, isAlreadyExists, isNotFound, type KubernetesObject } from '@kates/core';
import type { SeededRandom } from '../fake/clock.js';
import { isUnknownOutcome } from './outcome.js';
import { type ChaosWorld, PARENT_LABELS } from './world.js';

/** What the workload wrote. */
export interface WorkloadCounts {
  creates: number;
  updates: number;
  deletes: number;
  /** Writes that failed (refused, or cut by a kube-apiserver restart); the workload goes on. */
  errors: number;
}

/** Options of {@link runWorkload}. */
export interface WorkloadOptions {
  /** Pause between two writes, ms (default 40). */
  readonly writeIntervalMs?: number;
  /** Most live objects of one kind in one namespace (default 12). */
  readonly maxPerSet?: number;
  /** Most live parents (default 16). */
  readonly maxParents?: number;
}

/** One set of objects the workload churns: a kind in a namespace, and the names it believes live. */
interface ObjectSet {
  readonly kind: 'ConfigMap' | 'Secret' | 'Service' | 'Widget';
  readonly namespace: string;
  readonly parents: boolean;
  readonly live: Set<string>;
}

const GROUPS = ['red', 'blue', 'green'] as const;

/**
 * Creates, updates and deletes ConfigMaps, Secrets, Services and Widgets in both namespaces, and
 * parents (ConfigMaps labelled `role=parent`) for the reconciler, through `client` (which goes
 * straight to the API server: the workload is not what is being tested). Updates change data and
 * move objects between `chaos-group`s. Runs until `signal` aborts; returns what it wrote.
 */
export async function runWorkload(
  client: Client,
  world: ChaosWorld,
  random: SeededRandom,
  signal: AbortSignal,
  options: WorkloadOptions = {},
): Promise<WorkloadCounts> {
  const counts: WorkloadCounts = { creates: 0, updates: 0, deletes: 0, errors: 0 };
  const interval = options.writeIntervalMs ?? 40;
  const maxPerSet = options.maxPerSet ?? 12;
  const maxParents = options.maxParents ?? 16;
  const sets: ObjectSet[] = [];
  for (const namespace of [world.namespaceA, world.namespaceB])
    for (const kind of ['ConfigMap', 'Secret', 'Service', 'Widget'] as const)
      sets.push({ kind, namespace, parents: false, live: new Set() });
  // Parents are picked as often as three other sets together: the reconciler's creates are
  // what faults must catch in flight.
  const parents: ObjectSet = {
    kind: 'ConfigMap',
    namespace: world.namespaceA,
    parents: true,
    live: new Set(),
  };
  sets.push(parents, parents, parents);
  let serial = 0;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;

  const build = (set: ObjectSet, name: string): KubernetesObject => {
    const labels: Record<string, string> = { chaos: 'yes', 'chaos-group': pick(GROUPS) };
    const metadata = { name, namespace: set.namespace, labels };
    switch (set.kind) {
      case 'ConfigMap':
        if (set.parents) Object.assign(labels, PARENT_LABELS);
        return {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata,
          data: { serial: String(serial) },
        } as KubernetesObject;
      case 'Secret':
        return {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata,
          type: 'Opaque',
          data: { token: Buffer.from(`t${random.next()}`).toString('base64') },
        } as KubernetesObject;
      case 'Service':
        // Headless: no cluster IP is allocated, so churn cannot exhaust the small service range.
        return {
          apiVersion: 'v1',
          kind: 'Service',
          metadata,
          spec: { clusterIP: 'None', selector: { app: name }, ports: [{ port: 80 }] },
        } as KubernetesObject;
      case 'Widget':
        return {
          apiVersion: `${world.group}/v1`,
          kind: 'Widget',
          metadata,
          spec: { size: serial },
        } as KubernetesObject;
    }
  };

  const patchOf = (set: ObjectSet): unknown => {
    // Parents keep their group: moving them is not what the reconciler is about.
    const labels = set.parents ? {} : { 'chaos-group': pick(GROUPS) };
    const metadata = { labels, annotations: { 'chaos/serial': String(serial) } };
    switch (set.kind) {
      case 'ConfigMap':
        return { metadata, data: { serial: String(serial) } };
      case 'Secret':
        return { metadata, data: { token: Buffer.from(`t${random.next()}`).toString('base64') } };
      case 'Service':
        return { metadata };
      case 'Widget':
        return { metadata, spec: { size: serial } };
    }
  };

  while (!signal.aborted) {
    serial++;
    const set = pick(sets);
    const max = set.parents ? maxParents : maxPerSet;
    const roll = random.next();
    const names = [...set.live];
    const op =
      names.length < 2
        ? 'create'
        : roll < 0.35 && names.length < max
          ? 'create'
          : roll < 0.75
            ? 'update'
            : 'delete';
    const kind = set.kind === 'Widget' ? world.widgetKind : set.kind;
    try {
      if (op === 'create') {
        const name = `${set.parents ? 'parent' : set.kind.toLowerCase()}-${serial}`;
        set.live.add(name);
        try {
          await client.create(build(set, name));
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
        }
        counts.creates++;
      } else {
        const name = pick(names);
        const ref = { kind, name, namespace: set.namespace };
        try {
          if (op === 'update') {
            await client.patch(ref, patchOf(set));
            counts.updates++;
          } else {
            set.live.delete(name);
            await client.delete(ref);
            counts.deletes++;
          }
        } catch (e) {
          if (!isNotFound(e)) throw e;
          set.live.delete(name);
        }
      }
    } catch (e) {
      // A restart of kube-apiserver refuses writes for a while; the workload goes on.
      if (!isUnknownOutcome(e)) throw e;
      counts.errors++;
    }
    await sleep(interval, undefined, { signal }).catch(() => undefined);
  }
  return counts;
}
