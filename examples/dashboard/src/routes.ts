import type { KubernetesObject } from '@kates/core/browser';

/** The ConfigMap the example router controller keeps per namespace (examples/controller). */
export const ROUTING_TABLE = 'routing-table';

/** One route of a routing table, as the controller writes it in `routes.json`. */
export interface Route {
  readonly prefix: string;
  readonly service: string;
  readonly port: number | null;
  readonly readyEndpoints: number;
  readonly problem?: string;
}

/** A route as the dashboard shows it: with the Mapping it comes from, if that is still there. */
export interface RouteRow extends Route {
  readonly mapping?: string;
}

/** A namespace's routes: its table (if the controller wrote one) and Mappings not in it yet. */
export interface NamespaceRoutes {
  readonly namespace: string;
  /** The table's resourceVersion; undefined while the controller has written none. */
  readonly version?: string;
  readonly rows: readonly RouteRow[];
  /** Mappings with no route in the table: the controller has not caught up, or the table is gone. */
  readonly pending: readonly string[];
}

function parseRoutes(table: KubernetesObject): Route[] {
  try {
    const routes = JSON.parse(table.data?.['routes.json'] ?? '[]');
    return Array.isArray(routes) ? routes : [];
  } catch {
    // Someone else's hand-written table: shown empty rather than breaking the page.
    return [];
  }
}

const routeKey = (namespace: string, prefix: string, service: string) =>
  `${namespace}\u0000${prefix}\u0000${service}`;

/**
 * The routing tables joined with the Mappings they come from, one entry per namespace that has
 * either, sorted by namespace. Pure: the view and its test share it.
 */
export function routingView(
  mappings: readonly KubernetesObject[],
  configmaps: readonly KubernetesObject[],
): NamespaceRoutes[] {
  const byRoute = new Map<string, string>();
  for (const m of mappings)
    byRoute.set(
      routeKey(m.metadata?.namespace ?? '', m.spec?.prefix, m.spec?.service),
      m.metadata?.name ?? '',
    );
  const namespaces = new Map<string, NamespaceRoutes>();
  const routed = new Set<string>();
  for (const t of configmaps) {
    if (t.metadata?.name !== ROUTING_TABLE) continue;
    const namespace = t.metadata?.namespace ?? '';
    const rows = parseRoutes(t).map((r): RouteRow => {
      const key = routeKey(namespace, r.prefix, r.service);
      const mapping = byRoute.get(key);
      if (mapping) routed.add(key);
      return mapping ? { ...r, mapping } : r;
    });
    namespaces.set(namespace, { namespace, version: t.metadata?.resourceVersion, rows, pending: [] });
  }
  for (const m of mappings) {
    const namespace = m.metadata?.namespace ?? '';
    if (routed.has(routeKey(namespace, m.spec?.prefix, m.spec?.service))) continue;
    const entry = namespaces.get(namespace) ?? { namespace, rows: [], pending: [] };
    namespaces.set(namespace, { ...entry, pending: [...entry.pending, m.metadata?.name ?? ''] });
  }
  return [...namespaces.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

/** {@link routingView} memoized on its two arrays: a watch event elsewhere costs two comparisons. */
export function memoRoutingView(): typeof routingView {
  let last:
    | { m: readonly KubernetesObject[]; c: readonly KubernetesObject[]; v: NamespaceRoutes[] }
    | undefined;
  return (m, c) => {
    if (last?.m !== m || last.c !== c) last = { m, c, v: routingView(m, c) };
    return last.v;
  };
}
