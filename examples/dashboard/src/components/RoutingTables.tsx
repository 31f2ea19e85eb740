import type { KubernetesObject } from '@kates/core/browser';
import { useSnapshot, useSyncStatus } from '@kates/react';
import { memoRoutingView, type NamespaceRoutes, type RouteRow } from '../routes.js';

const noItems: readonly KubernetesObject[] = [];
const view = memoRoutingView();
const COLUMNS = 'minmax(10rem, 2fr) minmax(8rem, 1fr) 5rem 7rem minmax(10rem, 2fr) minmax(8rem, 1fr)';

function State({ route }: { route: RouteRow }) {
  return route.problem ? (
    <span className="route-down">{route.problem}</span>
  ) : (
    <span className="route-up">serving</span>
  );
}

function Table({ routes }: { routes: NamespaceRoutes }) {
  const serving = routes.rows.filter((r) => !r.problem).length;
  return (
    <section className="routing-table" data-testid={`routes-${routes.namespace}`}>
      <h2>
        {routes.namespace}
        <span className="routing-meta">
          {routes.version
            ? `configmap routing-table · resourceVersion ${routes.version} · ${serving}/${routes.rows.length} serving`
            : 'no routing table yet'}
        </span>
      </h2>
      <div className="row header" style={{ ['--columns' as string]: COLUMNS }}>
        {['Prefix', 'Service', 'Port', 'Endpoints', 'State', 'Mapping'].map((h) => (
          <div key={h} className="cell">
            {h}
          </div>
        ))}
      </div>
      {routes.rows.map((r) => (
        <div
          key={`${r.prefix} ${r.service}`}
          className="row"
          data-prefix={r.prefix}
          style={{ ['--columns' as string]: COLUMNS }}
        >
          <div className="cell mono">{r.prefix}</div>
          <div className="cell">{r.service}</div>
          <div className="cell">{r.port ?? ''}</div>
          <div className="cell">{r.readyEndpoints}</div>
          <div className="cell">
            <State route={r} />
          </div>
          <div className="cell">{r.mapping ?? <span className="route-down">(Mapping gone)</span>}</div>
        </div>
      ))}
      {routes.pending.length > 0 ? (
        <div className="routing-pending">Not routed yet: {routes.pending.join(', ')}</div>
      ) : null}
    </section>
  );
}

const sameView = (a: readonly NamespaceRoutes[], b: readonly NamespaceRoutes[]) => a === b;

/**
 * What the example router controller maintains, live: per namespace, the routes of its
 * `routing-table` ConfigMap beside the Mappings they come from, and Mappings it has not routed yet.
 */
export function RoutingTables() {
  const routes = useSnapshot((s) => view(s.mappings ?? noItems, s.configmaps ?? noItems), sameView);
  const phase = useSyncStatus().queries.mappings?.phase;
  return (
    <div className="routes" data-testid="routes" data-tables={routes.filter((r) => r.version).length}>
      {phase === 'unserved' ? (
        <div className="empty">
          This cluster serves no Mappings (mappings.example.kates.dev). The example router controller installs
          their CRD and keeps a routing-table ConfigMap per namespace: <code>npm start</code>.
        </div>
      ) : routes.length === 0 ? (
        <div className="empty">No Mappings and no routing tables.</div>
      ) : (
        routes.map((r) => <Table key={r.namespace} routes={r} />)
      )}
    </div>
  );
}
