// @vitest-environment happy-dom

import { createKatesSelectors, createKatesStore, type KatesRootState } from '@kates/core/browser';
import { reflectorStatus } from '@kates/core/internal';
import { cleanup, render, screen } from '@testing-library/react';
import { Profiler, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PodByName,
  PodList,
  QueryItems,
  QueryStatusLine,
  RenderCounter,
  SyncLine,
  UsesQuery,
} from './__fixtures__/components.js';
import { settle } from './__fixtures__/frames.js';
import { fixture } from './__fixtures__/pods.js';
import { KatesProvider } from './provider.js';
import { useResource } from './use-resource.js';

afterEach(cleanup);

/** Renders and expects a render error, without React's console noise. */
function renderError(element: ReactElement): unknown {
  const error = console.error;
  console.error = () => {};
  try {
    render(element);
  } catch (e) {
    return e;
  } finally {
    console.error = error;
  }
  return undefined;
}

function SameObjectByEitherKind() {
  const a = useResource('pods', 'default', 'pods-00001');
  const b = useResource('Pod', 'default', 'pods-00001');
  const c = useResource('Service', 'default', 'pods-00001');
  return (
    <span data-testid="out">
      {String(a === b && a !== undefined)} {String(c)}
    </span>
  );
}

describe('per-row subscriptions', () => {
  it('updates one of 1,000 pods and re-renders only its row, not the list or the other rows', async () => {
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const renders = new RenderCounter();
    const commits: number[] = [];
    render(
      <KatesProvider accumulator={f.accumulator}>
        <Profiler id="pods" onRender={(_id, _phase, actualDuration) => commits.push(actualDuration)}>
          <PodList renders={renders} />
        </Profiler>
      </KatesProvider>,
    );
    expect(renders.of('list')).toBe(1);
    expect(renders.total()).toBe(1001);
    const before = commits.length;

    await settle(() => f.modify('pods', 500));

    expect(screen.getByTestId('pods-uid-500').textContent).toBe('pods-00500 Failed');
    expect(renders.of('pods-uid-500')).toBe(2);
    expect(renders.of('list')).toBe(1);
    expect(renders.total()).toBe(1002);
    expect(commits.length - before).toBe(1);
    f.accumulator.close();
  });

  it('re-renders only the row without position hints too', async () => {
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const renders = new RenderCounter();
    render(
      <KatesProvider accumulator={f.accumulator}>
        <PodList renders={renders} positions={false} />
      </KatesProvider>,
    );
    await settle(() => f.modify('pods', 999));
    expect(screen.getByTestId('pods-uid-999').textContent).toBe('pods-00999 Failed');
    expect(renders.total()).toBe(1002);
    f.accumulator.close();
  });

  it('re-renders the list, and no row found by uid alone, when a pod is deleted', async () => {
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const renders = new RenderCounter();
    // With position hints, the rows after the deleted one get new props and render again.
    render(
      <KatesProvider accumulator={f.accumulator}>
        <PodList renders={renders} positions={false} />
      </KatesProvider>,
    );
    await settle(() => f.remove('pods', 10));
    expect(screen.getByTestId('list').childElementCount).toBe(999);
    expect(renders.of('list')).toBe(2);
    expect(renders.total()).toBe(1002);
    f.accumulator.close();
  });

  it('re-renders a useResource component only when its own object changes', async () => {
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const renders = new RenderCounter();
    render(
      <KatesProvider accumulator={f.accumulator}>
        <PodByName name="pods-00007" renders={renders} />
        <PodByName name="pods-00008" renders={renders} />
        <PodByName name="pods-01234" renders={renders} />
      </KatesProvider>,
    );
    await settle(() => f.modify('pods', 7));
    await settle(() => f.modify('pods', 9));
    expect(screen.getByTestId('pods-00007').textContent).toBe('Failed');
    expect(renders.of('pods-00007')).toBe(2);
    expect(renders.of('pods-00008')).toBe(1);
    expect(screen.getByTestId('pods-01234').textContent).toBe('absent');
    await settle(() => f.add('pods', 1234));
    expect(screen.getByTestId('pods-01234').textContent).toBe('Running');
    expect(renders.of('pods-01234')).toBe(2);
    f.accumulator.close();
  });

  it('finds an object by the kind its query names as well as by its own kind', async () => {
    const f = await fixture({ pods: 3 });
    f.list('pods');
    render(
      <KatesProvider accumulator={f.accumulator}>
        <SameObjectByEitherKind />
      </KatesProvider>,
    );
    expect(screen.getByTestId('out').textContent).toBe('true undefined');
    f.accumulator.close();
  });
});

describe('useQuery', () => {
  it('returns the same items array while its query does not change, when another query does', async () => {
    const f = await fixture({ pods: 100, services: 10 });
    f.listAll();
    const renders = new RenderCounter();
    render(
      <KatesProvider accumulator={f.accumulator}>
        <QueryItems name="pods" renders={renders} />
      </KatesProvider>,
    );
    await settle(() => f.modify('services', 3));
    await settle(() => f.modify('services', 4));
    // The pods query's status did not change either: no render at all.
    expect(renders.of('pods')).toBe(1);
    await settle(() => f.add('pods', 100));
    expect(screen.getByTestId('count-pods').textContent).toBe('101');
    // A watch event moves the query's resourceVersion and counters too: one render for both.
    expect(renders.of('pods')).toBe(2);
    f.accumulator.close();
  });

  it('reports the status and the error of a query that backs off', async () => {
    const f = await fixture({ pods: 2 });
    f.list('pods');
    render(
      <KatesProvider accumulator={f.accumulator}>
        <QueryStatusLine name="pods" />
      </KatesProvider>,
    );
    expect(screen.getByTestId('status-pods').textContent).toBe('synced 2 -');
    await settle(() => {
      f.store.dispatch(
        reflectorStatus({
          key: f.keyOf('pods'),
          phase: 'backing-off',
          attempt: 1,
          error: { message: 'watch of pods: connection refused', at: new Date().toISOString() },
        }),
      );
    });
    expect(screen.getByTestId('status-pods').textContent).toBe(
      'backing-off 2 watch of pods: connection refused',
    );
    f.accumulator.close();
  });

  it('names the queries it has when asked for one it does not', async () => {
    const f = await fixture({ pods: 1, services: 1 });
    const error = renderError(
      <KatesProvider accumulator={f.accumulator}>
        <UsesQuery name="podz" />
      </KatesProvider>,
    );
    expect((error as Error).message).toBe(
      'useQuery("podz"): no query is named "podz"; the queries are: pods, services',
    );
    f.accumulator.close();
  });

  it('says where it must be used when there is no provider', () => {
    const error = renderError(<UsesQuery name="pods" />);
    expect((error as Error).message).toMatch(/^useQuery must be used inside <KatesProvider/);
  });
});

describe('useSyncStatus', () => {
  it('is synced once every query has completed its initial list, and names failing queries', async () => {
    const f = await fixture({ pods: 5, services: 2 });
    render(
      <KatesProvider accumulator={f.accumulator}>
        <SyncLine />
      </KatesProvider>,
    );
    expect(screen.getByTestId('sync').textContent).toBe('false 2 []');
    await settle(() => f.list('pods'));
    expect(screen.getByTestId('sync').textContent).toBe('false 2 []');
    await settle(() => f.list('services'));
    expect(screen.getByTestId('sync').textContent).toBe('true 2 []');
    await settle(() => {
      f.store.dispatch(
        reflectorStatus({
          key: f.keyOf('services'),
          phase: 'forbidden',
          error: { message: 'services is forbidden', code: 403, at: new Date().toISOString() },
        }),
      );
    });
    expect(screen.getByTestId('sync').textContent).toBe('true 2 [services]');
    f.accumulator.close();
  });
});

describe('a provider over a store', () => {
  const selectors = createKatesSelectors((root: KatesRootState) => root.kates);

  it('reads every query of the store by name', async () => {
    const store = createKatesStore();
    const f = await fixture({ pods: 20, services: 3 }, { store });
    f.listAll();
    const renders = new RenderCounter();
    render(
      <KatesProvider store={store} selectors={selectors}>
        <QueryItems name="pods" renders={renders} />
        <QueryItems name="services" renders={renders} />
        <QueryStatusLine name="pods" />
      </KatesProvider>,
    );
    expect(screen.getByTestId('count-pods').textContent).toBe('20');
    expect(screen.getByTestId('status-pods').textContent).toBe('synced 20 -');
    await settle(() => f.remove('pods', 0));
    expect(screen.getByTestId('count-pods').textContent).toBe('19');
    expect(renders.of('services')).toBe(1);
    // Unmount first: closing removes the queries from the store, and a mounted useQuery would say so.
    cleanup();
    f.accumulator.close();
  });

  it('asks for a query id when two accumulators of the store name a query alike', async () => {
    const store = createKatesStore();
    const a = await fixture({ pods: 2 }, { store });
    const b = await fixture({ pods: 2 }, { store });
    const error = renderError(
      <KatesProvider store={store} selectors={selectors}>
        <UsesQuery name="pods" />
      </KatesProvider>,
    );
    expect((error as Error).message).toMatch(
      /^useQuery\("pods"\): 2 queries of this store are named "pods" \(acc\d+\/pods, acc\d+\/pods\); ask for one by its id$/,
    );
    a.accumulator.close();
    b.accumulator.close();
  });
});
