import {
  apiVersionOf,
  createKatesStore,
  groupKindOf,
  type KubernetesObject,
  type ResourceType,
} from '@kates/core/browser';
import {
  type AccumulatorHost,
  createAccumulator,
  listCompleted,
  listPage,
  listStarted,
  reflectorAdded,
  reflectorStatus,
  watchEvents,
} from '@kates/core/internal';
import { countBy, KatesProvider, useQueryItem, useQueryUids, useSnapshot } from '@kates/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type ReactNode, useRef } from 'react';
import { useCommitLatency } from './latency.js';
import { phaseGroup, Summary } from './summary.js';

const podType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['list', 'watch'],
};
const noItems: readonly KubernetesObject[] = [];

/**
 * The kates pipeline in the page: store, accumulator, hooks; fed with the actions a reflector
 * dispatches, one watch event per action (as when each arrives in a network chunk of its own).
 * The provider tells the components once per frame; `flushes` gets the time of each frame's
 * notification (view, selectors, row wake-ups: the part of the ingest moved out of `emit`).
 */
export async function katesVariant(
  pods: KubernetesObject[],
  all: boolean,
  flushes: number[],
): Promise<{ ui: ReactNode; emit: (o: KubernetesObject) => void }> {
  const store = createKatesStore();
  let key = '';
  const host: AccumulatorHost = {
    store,
    resolve: async () => podType,
    acquireWatch(k, resource, spec) {
      key = k;
      store.dispatch(
        reflectorAdded({
          key: k,
          groupKind: groupKindOf(resource),
          apiVersion: apiVersionOf(resource),
          resource: resource.resource,
          labelSelector: spec.labelSelector,
          fieldSelector: spec.fieldSelector,
        }),
      );
    },
    releaseWatch() {},
  };
  const accumulator = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
  await new Promise((r) => setTimeout(r, 0));
  store.dispatch(listStarted({ key }));
  for (let i = 0; i < pods.length; i += 500) store.dispatch(listPage({ key, items: pods.slice(i, i + 500) }));
  store.dispatch(listCompleted({ key, resourceVersion: String(pods.length + 1) }));
  store.dispatch(reflectorStatus({ key, phase: 'watching', error: null }));
  // The provider's default schedule (one flush per animation frame), timed.
  const timedFrame = (flush: () => void) =>
    requestAnimationFrame(() => {
      const t = performance.now();
      flush();
      flushes.push(performance.now() - t);
    });
  return {
    ui: (
      <KatesProvider accumulator={accumulator} notify={timedFrame}>
        {all ? <KatesAllRows /> : <KatesTable />}
      </KatesProvider>
    ),
    emit: function ingestEvent(object) {
      store.dispatch(watchEvents({ key, events: [{ type: 'MODIFIED', object }] }));
    },
  };
}

const Row = memo(function Row({ uid, position, top }: { uid: string; position: number; top?: number }) {
  const p = useQueryItem('pods', uid, position);
  useCommitLatency(uid, p?.metadata?.resourceVersion);
  if (!p) return null;
  return (
    <div
      className={top === undefined ? 'row static' : 'row'}
      style={top === undefined ? undefined : { transform: `translateY(${top}px)` }}
    >
      <span>{p.metadata?.namespace}</span>
      <span>{p.metadata?.name}</span>
      <span>{p.status?.phase}</span>
      <span>{p.status?.containerStatuses?.[0]?.restartCount}</span>
      <span>{p.metadata?.resourceVersion}</span>
    </div>
  );
});

/** Pods by phase with kates' `countBy`: moved by the pods that changed, not counted again. */
function KatesSummary() {
  const counts = useSnapshot((s) => countBy(s.pods ?? noItems, phaseGroup));
  return <Summary counts={counts} />;
}

function KatesTable() {
  const list = useQueryUids('pods');
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 24,
    overscan: 10,
    getItemKey: (i) => list[i]!,
  });
  return (
    <>
      <KatesSummary />
      <div className="scroller" ref={scroller}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => (
            <Row key={item.key} uid={list[item.index]!} position={item.index} top={item.start} />
          ))}
        </div>
      </div>
    </>
  );
}

/** Every row in the DOM, each subscribed to its own pod. */
function KatesAllRows() {
  const list = useQueryUids('pods');
  return (
    <>
      <KatesSummary />
      <div className="scroller">
        {list.map((uid, i) => (
          <Row key={uid} uid={uid} position={i} />
        ))}
      </div>
    </>
  );
}
