import type { ConfigMap, Deployment, KubernetesObject, Service } from '@kates/core';
import { matchesLabels, parseLabelSelector } from '@kates/core';
import type { Mapping } from './mapping.js';

/** Label that marks the ConfigMaps this controller owns. */
export const TABLE_LABEL = 'example.kates.dev/routing-table';
export const TABLE_NAME = 'routing-table';

/** One route of a routing table. */
export interface Route {
  readonly prefix: string;
  readonly service: string;
  readonly port: number | null;
  /** Ready replicas of the Deployments behind the Service; 0 when none is ready. */
  readonly readyEndpoints: number;
  /** Why a route is not serving, for operators reading the table. */
  readonly problem?: string;
}

/** What the controller reads: one coherent snapshot. */
export interface RouterSnapshot {
  readonly services?: readonly Service[];
  readonly deployments?: readonly Deployment[];
  readonly mappings?: readonly Mapping[];
  readonly tables?: readonly ConfigMap[];
}

/**
 * A change to make, and why: the controller logs the reason. A table is written by server-side
 * apply (`object` is the whole table as the controller wants it, without a resourceVersion), so
 * one verb serves for a missing table and a stale one; a table no namespace needs is deleted.
 */
export type Action =
  | { readonly verb: 'apply'; readonly object: ConfigMap; readonly why: string }
  | { readonly verb: 'delete'; readonly object: ConfigMap; readonly why: string };

function readyBehind(service: Service, deployments: readonly Deployment[]): number {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return 0;
  const sel = parseLabelSelector({ matchLabels: selector });
  let ready = 0;
  for (const d of deployments) {
    if (d.metadata?.namespace !== service.metadata?.namespace) continue;
    if (matchesLabels(sel, d.spec?.template?.metadata?.labels)) ready += d.status?.readyReplicas ?? 0;
  }
  return ready;
}

/** The routes of one namespace, sorted by prefix: a pure function of the snapshot. */
export function routesOf(namespace: string, snap: RouterSnapshot): Route[] {
  const services = new Map(
    (snap.services ?? [])
      .filter((s) => s.metadata?.namespace === namespace)
      .map((s) => [s.metadata?.name ?? '', s]),
  );
  return (snap.mappings ?? [])
    .filter((m) => m.metadata?.namespace === namespace && !m.metadata?.deletionTimestamp)
    .map((m): Route => {
      const service = services.get(m.spec?.service);
      const port = m.spec?.port ?? service?.spec?.ports?.[0]?.port ?? null;
      if (!service)
        return {
          prefix: m.spec?.prefix,
          service: m.spec?.service,
          port,
          readyEndpoints: 0,
          problem: `service ${m.spec?.service} not found`,
        };
      const ready = readyBehind(service, snap.deployments ?? []);
      return {
        prefix: m.spec.prefix,
        service: m.spec.service,
        port,
        readyEndpoints: ready,
        ...(ready === 0 ? { problem: 'no ready endpoints' } : {}),
      };
    })
    .sort((a, b) =>
      a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.service.localeCompare(b.service),
    );
}

function ownerRefs(mappings: readonly Mapping[]) {
  return mappings.map((m) => ({
    apiVersion: m.apiVersion ?? 'example.kates.dev/v1',
    kind: 'Mapping',
    name: m.metadata?.name ?? '',
    uid: m.metadata?.uid ?? '',
    controller: false,
    blockOwnerDeletion: false,
  }));
}

/**
 * The routing table a namespace should have, as the apply configuration of the controller's field
 * manager: only the fields the controller owns, no resourceVersion. Other writers' fields (the
 * garbage collector's removal of an owner reference, someone's annotation) do not make it stale.
 */
export function desiredTable(namespace: string, snap: RouterSnapshot): ConfigMap {
  const mappings = (snap.mappings ?? []).filter((m) => m.metadata?.namespace === namespace);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: TABLE_NAME,
      namespace,
      labels: { [TABLE_LABEL]: 'true' },
      // Owned by every Mapping of the namespace: when the last one goes, garbage collection removes it.
      ownerReferences: ownerRefs(mappings),
    },
    data: { 'routes.json': `${JSON.stringify(routesOf(namespace, snap), null, 2)}\n` },
  };
}

const sameOwners = (a: KubernetesObject, b: KubernetesObject) =>
  JSON.stringify((a.metadata?.ownerReferences ?? []).map((o: { uid: string }) => o.uid).sort()) ===
  JSON.stringify((b.metadata?.ownerReferences ?? []).map((o: { uid: string }) => o.uid).sort());

/**
 * Compares what is with what should be: one routing table per namespace that has Mappings, none
 * elsewhere. Pure, so it is tested without a cluster, and replayable from a recording.
 */
export function reconcile(snap: RouterSnapshot): Action[] {
  const namespaces = new Set((snap.mappings ?? []).map((m) => m.metadata?.namespace ?? ''));
  const existing = new Map(
    (snap.tables ?? [])
      .filter((t) => t.metadata?.name === TABLE_NAME)
      .map((t) => [t.metadata?.namespace ?? '', t]),
  );
  const actions: Action[] = [];
  for (const ns of [...namespaces].sort()) {
    const want = desiredTable(ns, snap);
    const have = existing.get(ns);
    const why = !have
      ? `namespace ${ns} has Mappings and no routing table`
      : have.data?.['routes.json'] !== want.data?.['routes.json']
        ? `routes of ${ns} changed (table at resourceVersion ${have.metadata?.resourceVersion})`
        : !sameOwners(have, want)
          ? `the Mappings owning the table of ${ns} changed`
          : undefined;
    if (why) actions.push({ verb: 'apply', object: want, why });
  }
  for (const [ns, table] of existing) {
    if (!namespaces.has(ns))
      actions.push({ verb: 'delete', object: table, why: `namespace ${ns} has no Mappings left` });
  }
  return actions;
}
