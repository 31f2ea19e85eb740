import type { KubernetesObject } from '@kates/core/browser';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useCommitLatency } from './latency.js';
import { phaseCounts, Summary } from './summary.js';

type Listener = (obj: KubernetesObject) => void;

/**
 * The naive hook many dashboards start with: the list in React state, copied on every watch event
 * (find the index, copy, replace), and everything below it rendered from that list.
 */
function useNaivePods(
  initial: KubernetesObject[],
  subscribe: (l: Listener) => () => void,
): KubernetesObject[] {
  const [pods, setPods] = useState(initial);
  useEffect(
    () =>
      subscribe((obj) =>
        setPods((prev) => {
          const i = prev.findIndex((p) => p.metadata?.uid === obj.metadata?.uid);
          const next = prev.slice();
          if (i >= 0) next[i] = obj;
          else next.push(obj);
          return next;
        }),
      ),
    [subscribe],
  );
  return pods;
}

function Row({ p, top }: { p: KubernetesObject; top?: number }) {
  useCommitLatency(p.metadata!.uid!, p.metadata?.resourceVersion);
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
}

function VirtualTable({ pods }: { pods: KubernetesObject[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: pods.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 24,
    overscan: 10,
  });
  return (
    <div className="scroller" ref={scroller}>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => (
          <Row key={item.key} p={pods[item.index]!} top={item.start} />
        ))}
      </div>
    </div>
  );
}

/** The naive variant: virtualized (`all` false) or every row in the DOM (`all` true). */
export function naiveVariant(pods: KubernetesObject[], all: boolean): { ui: ReactNode; emit: Listener } {
  const listeners = new Set<Listener>();
  const subscribe = (l: Listener) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  function App() {
    const list = useNaivePods(pods, subscribe);
    return (
      <>
        <Summary counts={phaseCounts(list)} />
        {all ? (
          <div className="scroller">
            {list.map((p) => (
              <Row key={p.metadata?.uid} p={p} />
            ))}
          </div>
        ) : (
          <VirtualTable pods={list} />
        )}
      </>
    );
  }
  return {
    ui: <App />,
    emit: (obj) => {
      for (const l of listeners) l(obj);
    },
  };
}
