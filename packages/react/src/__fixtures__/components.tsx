import { memo, type ReactNode } from 'react';
import { useQuery } from '../use-query.js';
import { useQueryItem, useQueryUids } from '../use-query-item.js';
import { useResource } from '../use-resource.js';
import { useSyncStatus } from '../use-sync-status.js';

/** Counts renders per key: the tests' measure of "re-renders only". */
export class RenderCounter {
  readonly counts = new Map<string, number>();
  hit(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }
}

/** A row subscribed to its own pod, by uid (and position). */
export const PodRow = memo(function PodRow(props: { uid: string; index?: number; renders: RenderCounter }) {
  const pod = useQueryItem('pods', props.uid, props.index);
  props.renders.hit(props.uid);
  return (
    <li data-testid={props.uid}>
      {pod?.metadata?.name} {pod?.status?.phase}
    </li>
  );
});

/** A list subscribed to the pods' uids only. */
export function PodList({ renders, positions = true }: { renders: RenderCounter; positions?: boolean }) {
  const uids = useQueryUids('pods');
  renders.hit('list');
  return (
    <ul data-testid="list">
      {uids.map((uid, i) => (
        <PodRow key={uid} uid={uid} {...(positions ? { index: i } : {})} renders={renders} />
      ))}
    </ul>
  );
}

/** One pod by kind, namespace and name. */
export function PodByName({
  kind = 'Pod',
  name,
  renders,
}: {
  kind?: string;
  name: string;
  renders: RenderCounter;
}) {
  const pod = useResource(kind, 'default', name);
  renders.hit(name);
  return <span data-testid={name}>{pod?.status?.phase ?? 'absent'}</span>;
}

/** Items of one query; counts its renders under the query's name. */
export function QueryItems({ name, renders }: { name: string; renders: RenderCounter }) {
  const { items } = useQuery(name);
  renders.hit(name);
  return <span data-testid={`count-${name}`}>{items.length}</span>;
}

/** Status, item count and error of one query. */
export function QueryStatusLine({ name }: { name: string }) {
  const { status, error, items } = useQuery(name);
  return (
    <span data-testid={`status-${name}`}>
      {status?.phase} {items.length} {error?.message ?? '-'}
    </span>
  );
}

/** The sync summary. */
export function SyncLine() {
  const { synced, failing, queries } = useSyncStatus();
  return (
    <span data-testid="sync">
      {String(synced)} {Object.keys(queries).length} [{failing.join()}]
    </span>
  );
}

/** Renders nothing but calls useQuery: for error tests. */
export function UsesQuery({ name }: { name: string }): ReactNode {
  useQuery(name);
  return null;
}
