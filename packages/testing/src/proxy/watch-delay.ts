import type { WatchEventType } from '@kates/core';

/**
 * Which watch lines to slow down, and how. Every field given must match; a rule with none but
 * `delayMs` slows every event of every watch.
 */
export interface SlowedWatchRule {
  /**
   * The watched resource as it appears in the URL, plural and lower case (`configmaps`), with its
   * group for named groups (`deployments.apps`, `mappings.example.kates.dev`).
   */
  readonly resource?: string;
  /** The kind of the event's object (`ConfigMap`). */
  readonly kind?: string;
  /** The namespace of the event's object. */
  readonly namespace?: string;
  /** The name of the event's object: exactly, or matching a regular expression. */
  readonly name?: string | RegExp;
  /** Event types slowed (default `ADDED`, `MODIFIED`, `DELETED`: bookmarks and errors are not). */
  readonly types?: readonly WatchEventType[];
  /** How long a matching line is held, in ms. */
  readonly delayMs: number;
  /**
   * `each` (default): a matching line goes out `delayMs` after the line before it went out (or
   * after it arrived, if later), as when a server, or Go kates' `watchAdded`/`watchUpdated` hook,
   * spends `delayMs` on each event: the lag grows with every event. `lag`: a matching line goes out
   * `delayMs` after it arrived, as on a stream that trails the server by a constant time.
   */
  readonly pace?: 'each' | 'lag';
}

/** The collection a watch request is for, read from its path. */
export interface WatchedCollection {
  /** Plural resource name (`configmaps`). */
  readonly resource: string;
  /** API group; empty for the core group. */
  readonly group: string;
  /** The namespace of a namespaced watch; undefined for a watch across namespaces. */
  readonly namespace?: string;
}

/**
 * Reads the collection from a watch path: `/api/v1[/namespaces/NS]/RESOURCE` or
 * `/apis/GROUP/VERSION[/namespaces/NS]/RESOURCE`, also in the old `/watch/` form. Undefined for
 * any other path.
 */
export function watchedCollection(path: string): WatchedCollection | undefined {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else return undefined;
  if (rest[0] === 'watch') rest = rest.slice(1);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return { resource: rest[2]!, group, namespace: rest[1] };
  }
  return rest.length >= 1 ? { resource: rest[0]!, group } : undefined;
}

/** The parts of a watch line that rules look at; undefined for a line that is not a watch event. */
interface EventHead {
  readonly type: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

function eventHead(line: string): EventHead | undefined {
  try {
    const event = JSON.parse(line) as {
      type?: unknown;
      object?: { kind?: string; metadata?: { name?: string; namespace?: string } };
    };
    if (typeof event?.type !== 'string') return undefined;
    return {
      type: event.type,
      kind: event.object?.kind,
      name: event.object?.metadata?.name,
      namespace: event.object?.metadata?.namespace,
    };
  } catch {
    return undefined;
  }
}

const DEFAULT_TYPES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED'];

function resourceMatches(rule: SlowedWatchRule, watch: WatchedCollection): boolean {
  if (rule.resource === undefined) return true;
  return rule.resource === (watch.group ? `${watch.resource}.${watch.group}` : watch.resource);
}

function matches(rule: SlowedWatchRule, watch: WatchedCollection, event: EventHead): boolean {
  if (!resourceMatches(rule, watch)) return false;
  if (!(rule.types ?? DEFAULT_TYPES).includes(event.type)) return false;
  if (rule.kind !== undefined && rule.kind !== event.kind) return false;
  if (rule.namespace !== undefined && rule.namespace !== event.namespace) return false;
  if (rule.name !== undefined) {
    const name = event.name ?? '';
    if (typeof rule.name === 'string' ? rule.name !== name : !rule.name.test(name)) return false;
  }
  return true;
}

/**
 * When each line of one watch stream goes out. Lines keep their order: a held line holds the
 * lines behind it, as a slow server (or a slow event handler) would. The first matching rule
 * decides a line's delay; a line no rule matches goes out as soon as the lines before it have.
 */
export class LineSchedule {
  /** When the previous line goes out, ms since the epoch. */
  private last = 0;

  constructor(
    private readonly watch: WatchedCollection,
    private readonly rules: () => readonly SlowedWatchRule[],
  ) {}

  /** The time at which `line`, arriving at `now`, goes out; and whether a rule slowed it. */
  due(line: string, now: number): { readonly at: number; readonly slowed: boolean } {
    const event = eventHead(line);
    const rule = event && this.rules().find((r) => matches(r, this.watch, event));
    const start = Math.max(now, this.last);
    const slowed = rule !== undefined && rule.delayMs > 0;
    const at = !slowed
      ? start
      : rule.pace === 'lag'
        ? Math.max(now + rule.delayMs, this.last)
        : start + rule.delayMs;
    this.last = at;
    return { at, slowed };
  }
}
