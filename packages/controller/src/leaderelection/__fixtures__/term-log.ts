import type { ReplicaEvent } from './replica.js';

/** One leadership term of one process, on the machine's clock (ms). */
export interface Term {
  readonly key: string;
  readonly identity: string;
  readonly start: number;
  /** The last renew deadline the process reported: the term cannot outlast it without a renewal. */
  until?: number;
  /** When the term ended by the rules (reported by the process, possibly late after a pause). */
  end?: number;
  reason?: string;
  /** Ledger writes the API server accepted from this term, by when the answer arrived. */
  readonly writes: number[];
  /** When the fence let each ledger write out, by its sequence number. */
  readonly sent: Map<number, number>;
  /** Writes aborted in flight when the term ended (they may still reach the API server). */
  aborted: number;
  /** Writes the fence refused. */
  refused: number;
}

/** Two terms of different processes that were both in force at once. */
export interface Overlap {
  readonly a: string;
  readonly b: string;
  readonly ms: number;
}

/**
 * The terms the replicas reported, and the invariant over them: no two terms in force at once
 * (beyond `boundMs`). A term is in force from its start to its end; while it has not ended, to
 * the last renew deadline its process reported (a killed or paused process can do nothing after
 * it: its fence refuses every write from then on).
 */
export class TermLog {
  readonly terms = new Map<string, Term>();
  checks = 0;
  pairsCompared = 0;
  readonly overlaps = new Map<string, Overlap>();

  constructor(
    private readonly renewDeadlineMs: number,
    private readonly boundMs = 0,
  ) {}

  record(identity: string, e: ReplicaEvent): void {
    const key = `${identity}@${e.pid}#${String(e.term)}`;
    if (e.event === 'started') {
      const term: Term = {
        key,
        identity,
        start: e.at as number,
        writes: [],
        sent: new Map(),
        aborted: 0,
        refused: 0,
      };
      this.terms.set(key, term);
      return;
    }
    const term = this.terms.get(key);
    if (!term) return;
    switch (e.event) {
      case 'until':
        term.until = e.until as number;
        return;
      case 'stopped':
        term.end = e.endedAt as number;
        term.reason = e.reason as string;
        return;
      case 'write':
        term.writes.push(e.at as number);
        return;
      case 'write-sent':
        term.sent.set(e.seq as number, e.at as number);
        return;
      case 'write-aborted':
        term.aborted++;
        return;
      case 'refused':
        term.refused++;
        return;
    }
  }

  /** The latest moment the term can have been in force. */
  endOf(term: Term): number {
    return term.end ?? term.until ?? term.start + this.renewDeadlineMs;
  }

  /** The terms in force at `at`. */
  inForce(at: number): Term[] {
    return [...this.terms.values()].filter((t) => t.start <= at && at < this.endOf(t));
  }

  /** One check of the invariant over every pair of terms known so far; new overlaps are kept. */
  check(): void {
    this.checks++;
    const terms = [...this.terms.values()];
    for (let i = 0; i < terms.length; i++)
      for (let j = i + 1; j < terms.length; j++) {
        this.pairsCompared++;
        const a = terms[i]!;
        const b = terms[j]!;
        const ms = Math.min(this.endOf(a), this.endOf(b)) - Math.max(a.start, b.start);
        if (ms > this.boundMs) this.overlaps.set(`${a.key}|${b.key}`, { a: a.key, b: b.key, ms });
      }
  }

  /** The smallest time between one term's end and the next one's start (in order of start). */
  minGap(): number {
    const ordered = [...this.terms.values()].sort((x, y) => x.start - y.start);
    let gap = Infinity;
    for (let i = 1; i < ordered.length; i++)
      gap = Math.min(gap, ordered[i]!.start - this.endOf(ordered[i - 1]!));
    return gap;
  }

  /** Writes the fence let out after their term had ended: a fence that failed. */
  sentAfterEnd(): { term: string; seq: number; sentAt: number; end: number }[] {
    return [...this.terms.values()].flatMap((t) =>
      [...t.sent]
        .filter(([, at]) => at > this.endOf(t))
        .map(([seq, sentAt]) => ({ term: t.key, seq, sentAt, end: this.endOf(t) })),
    );
  }

  /** When the fence let write `seq` of the term `key` out, if it was reported. */
  sentAt(key: string, seq: number): number | undefined {
    return this.terms.get(key)?.sent.get(seq);
  }
}

/** A ledger write as the API server applied it (seen on a watch), with when it was seen. */
export interface AppliedWrite {
  readonly writer: string;
  readonly seq: number;
  readonly seenAt: number;
}

/**
 * Writes the API server applied after a later term had already written: an earlier term's write
 * that arrived late. Fencing at the client decides what is sent, not when the network delivers it.
 */
export function lateWrites(applied: readonly AppliedWrite[]): AppliedWrite[] {
  const finished = new Set<string>();
  const late: AppliedWrite[] = [];
  let current: string | undefined;
  for (const w of applied) {
    if (w.writer === current) continue;
    if (finished.has(w.writer)) {
      late.push(w);
      continue;
    }
    if (current) finished.add(current);
    current = w.writer;
  }
  return late;
}
