/**
 * A user's dashboard page, bundled by Vite from the packed tarballs: the browser entry of core and
 * the React hooks. `import * as` keeps every export of both entries in the bundle, so the build
 * proves that nothing reachable from `@kates/core/browser` or `@kates/react` needs Node (the
 * build fails on a Node built-in; see scripts/consumer-test.mjs).
 */
import * as core from '@kates/core/browser';
import { Client, createBrowserTransport, type Pod } from '@kates/core/browser';
import * as hooks from '@kates/react';
import { KatesProvider, useQuery, useSyncStatus } from '@kates/react';
import { createRoot } from 'react-dom/client';

// Through a proxy such as @kates/proxy's startKubeProxy(): the browser never holds credentials.
const client = new Client({ transport: createBrowserTransport({ baseUrl: window.location.origin }) });
const acc = client.watch({ name: 'pods', kind: 'pods', namespace: 'shop' });

function Pods() {
  const { items, error } = useQuery<Pod>('pods');
  const { synced, failing } = useSyncStatus();
  return (
    <section>
      <p>
        {synced
          ? `${items.length} pods`
          : `syncing${failing.length ? `: ${failing.join(', ')} failing` : ''}`}
      </p>
      {error ? <p role="alert">{error.message}</p> : null}
      <ul>
        {items.map((pod) => (
          <li key={pod.metadata?.uid}>
            {pod.metadata?.name}: {pod.status?.phase}
          </li>
        ))}
      </ul>
      <footer>
        {Object.keys(core).length} exports of @kates/core/browser, {Object.keys(hooks).length} of @kates/react
      </footer>
    </section>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <KatesProvider accumulator={acc}>
    <Pods />
  </KatesProvider>,
);
