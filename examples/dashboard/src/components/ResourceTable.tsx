import type { KubernetesObject } from '@kates/core/browser';
import { useQueryItem, useSnapshot } from '@kates/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useContext, useRef } from 'react';
import { Clock } from '../clock.js';
import type { Column } from '../columns.js';
import { type Filter, rowsOf, sameRows } from '../rows.js';

const ROW_HEIGHT = 28;
const estimateSize = () => ROW_HEIGHT;
const noItems: readonly KubernetesObject[] = [];

interface RowProps {
  readonly query: string;
  readonly uid: string;
  readonly position: number;
  readonly top: number;
  readonly columns: readonly Column[];
}

/**
 * One object's row. It subscribes to its own object: a watch event for another object renders
 * nothing here, and `position` finds the object in O(1) while the order holds.
 */
const Row = memo(function Row({ query, uid, position, top, columns }: RowProps) {
  const obj = useQueryItem(query, uid, position);
  const now = useContext(Clock);
  if (!obj) return null;
  return (
    <div className="row" data-name={obj.metadata?.name} style={{ transform: `translateY(${top}px)` }}>
      {columns.map((c) => (
        <div key={c.header} className="cell">
          {c.cell(obj, now)}
        </div>
      ))}
    </div>
  );
});

/**
 * A virtualized table of one query: only the rows in view exist in the DOM, so 10k objects
 * scroll and update as smoothly as 10. The table itself re-renders when membership or order
 * changes (or on scroll), never for a modification of one object, nor when the clock ticks (the
 * rows in view do): the virtualizer measures its 30k rows again only when their keys change.
 */
export const ResourceTable = memo(function ResourceTable({
  query,
  columns,
  filter,
}: {
  query: string;
  columns: readonly Column[];
  filter: Filter;
}) {
  const rows = useSnapshot((s) => rowsOf(s[query] ?? noItems, filter), sameRows);
  const scroller = useRef<HTMLDivElement>(null);
  const uids = rows.uids;
  const getItemKey = useCallback((i: number) => uids[i] ?? i, [uids]);
  const virtualizer = useVirtualizer({
    count: uids.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: 12,
    getItemKey,
  });
  const template = columns.map((c) => c.width).join(' ');
  return (
    <div
      className="table"
      data-testid={`table-${query}`}
      data-rows={rows.uids.length}
      style={{ ['--columns' as string]: template }}
    >
      <div className="row header">
        {columns.map((c) => (
          <div key={c.header} className="cell">
            {c.header}
          </div>
        ))}
      </div>
      <div className="scroller" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => (
            <Row
              key={v.key}
              query={query}
              uid={rows.uids[v.index]!}
              position={rows.positions[v.index]!}
              top={v.start}
              columns={columns}
            />
          ))}
        </div>
      </div>
      {rows.uids.length === 0 ? <div className="empty">No {query} match.</div> : null}
    </div>
  );
});
