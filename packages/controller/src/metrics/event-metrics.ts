import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventDropReason, EventRecorderMetrics } from '../events/recorder.js';

const DROP_REASONS: readonly EventDropReason[] = [
  'buffer-full',
  'rate-limited',
  'rejected',
  'retries-exhausted',
  'closed',
];

/**
 * The Event recorders' metrics: `kates_events_recorded_total{kind="new"|"series"}`,
 * `kates_events_dropped_total{reason}`, `kates_event_writes_total{verb, result}` and
 * `kates_events_buffered`, summed over the recorders of one registry.
 */
export class EventMetrics {
  private static readonly byRegistry = new WeakMap<Registry, EventMetrics>();
  private readonly recordedTotal: Counter<'kind'>;
  private readonly droppedTotal: Counter<'reason'>;
  private readonly writesTotal: Counter<'verb' | 'result'>;
  private readonly bufferedGauge: Gauge;
  private readonly waiting = new Map<object, number>();

  /** The Event metrics of `registry`, registered there on first use. */
  static of(registry: Registry): EventMetrics {
    let m = EventMetrics.byRegistry.get(registry);
    if (!m) {
      m = new EventMetrics(registry);
      EventMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    this.recordedTotal = new Counter({
      name: 'kates_events_recorded_total',
      help: 'Events recorded: new Events, and repeats folded into a series',
      labelNames: ['kind'],
      registers,
    });
    this.droppedTotal = new Counter({
      name: 'kates_events_dropped_total',
      help: 'Events not written: buffer full, rate-limited, refused by the API server, retries exhausted, recorder closed',
      labelNames: ['reason'],
      registers,
    });
    this.writesTotal = new Counter({
      name: 'kates_event_writes_total',
      help: 'Event writes to the API server (create, or a patch of a series), by result',
      labelNames: ['verb', 'result'],
      registers,
    });
    this.bufferedGauge = new Gauge({
      name: 'kates_events_buffered',
      help: 'Events waiting to be written',
      registers,
    });
    for (const kind of ['new', 'series']) this.recordedTotal.inc({ kind }, 0);
    for (const reason of DROP_REASONS) this.droppedTotal.inc({ reason }, 0);
  }

  /** A sink for one recorder; its buffered count adds to the others'. */
  forRecorder(): EventRecorderMetrics {
    const self = {};
    return {
      recorded: (kind) => this.recorded(kind),
      dropped: (reason) => this.dropped(reason),
      written: (verb, ok) => this.written(verb, ok),
      buffered: (count) => {
        this.waiting.set(self, count);
        this.bufferedGauge.set([...this.waiting.values()].reduce((a, b) => a + b, 0));
      },
    };
  }

  private recorded(kind: 'new' | 'series'): void {
    this.recordedTotal.inc({ kind });
  }

  private dropped(reason: EventDropReason): void {
    this.droppedTotal.inc({ reason });
  }

  private written(verb: 'create' | 'patch', ok: boolean): void {
    this.writesTotal.inc({ verb, result: ok ? 'ok' : 'error' });
  }
}
