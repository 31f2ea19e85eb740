import type { KubernetesObject } from '@kates/core/browser';
import { useSnapshot } from '@kates/react';
import { useDeferredValue, useMemo, useState } from 'react';
import { Clock, useTicking } from './clock.js';
import { type QueryName, queries } from './cluster.js';
import { columns } from './columns.js';
import { ResourceTable } from './components/ResourceTable.js';
import { RoutingTables } from './components/RoutingTables.js';
import { StatusBar } from './components/StatusBar.js';
import { Summary } from './components/Summary.js';
import { type Filter, perItems } from './rows.js';

const noItems: readonly KubernetesObject[] = [];
const namespaceNames = perItems((items) => items.map((n) => n.metadata?.name ?? ''));
const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** A tab: a query's table, or the routes the example controller maintains. */
type Tab = QueryName | 'routes';

const labels: Record<Tab, string> = {
  namespaces: 'Namespaces',
  deployments: 'Deployments',
  replicasets: 'ReplicaSets',
  pods: 'Pods',
  services: 'Services',
  configmaps: 'ConfigMaps',
  events: 'Events',
  nodes: 'Nodes',
  mappings: 'Mappings',
  routes: 'Routes',
};

const tabs: readonly Tab[] = [...queries.map((q) => q.name), 'routes'];

/**
 * The dashboard: live status, counts, one virtualized table per kind with a namespace and name
 * filter, and the routing tables the example router controller keeps.
 */
export function App() {
  const [tab, setTab] = useState<Tab>('pods');
  const [namespace, setNamespace] = useState('');
  const [text, setText] = useState('');
  // Typing stays responsive over 10k rows: the table filters with the deferred text.
  const deferredText = useDeferredValue(text);
  const filter: Filter = useMemo(() => ({ namespace, text: deferredText }), [namespace, deferredText]);
  const namespaces = useSnapshot((s) => namespaceNames(s.namespaces ?? noItems), sameNames);
  const now = useTicking(5000);
  return (
    <Clock value={now}>
      <div className="app">
        <header>
          <h1>kates dashboard</h1>
          <StatusBar />
        </header>
        <Summary />
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              data-testid={`tab-${t}`}
              onClick={() => setTab(t)}
            >
              {labels[t]}
            </button>
          ))}
          <select
            aria-label="Namespace"
            data-testid="namespace"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
          >
            <option value="">All namespaces</option>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <input
            aria-label="Filter by name"
            data-testid="search"
            placeholder="Filter by name"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {tab === 'routes' ? (
          <RoutingTables />
        ) : (
          <ResourceTable key={tab} query={tab} columns={columns[tab]} filter={filter} />
        )}
      </div>
    </Clock>
  );
}
