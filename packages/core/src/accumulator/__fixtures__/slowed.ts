import { afterEach } from 'vitest';
import { type SlowedWatches, startSlowedWatches } from '../../../../testing/src/proxy/slowed-watches.js';
import type { SlowedWatchRule } from '../../../../testing/src/proxy/watch-delay.js';
import type { Client } from '../../client/client.js';
import { createClient } from '../../client/create-client.js';
import type { ClientOptions } from '../../client/types.js';
import type { KubernetesObject } from '../../model/object.js';
import type { Accumulator } from '../accumulator.js';
import type { Delta } from '../delta.js';

/** A client whose watches pass through a slowed-watch proxy, and the proxy. */
export interface SlowedClient {
  readonly client: Client;
  readonly slowed: SlowedWatches;
}

/**
 * Starts clients behind slowed-watch proxies in front of the file's test server, each closed
 * after its test. Every request goes through the proxy; only the watch events its rules name are
 * late, so the client's own writes are answered at once, as when a loaded API server's watch
 * cache trails its storage.
 */
export function useSlowedClients(
  kubeconfigPath: () => string,
  namespace: string,
): (rules: readonly SlowedWatchRule[], options?: Pick<ClientOptions, 'reflector'>) => Promise<SlowedClient> {
  const started: SlowedClient[] = [];
  afterEach(async () => {
    for (const { client, slowed } of started.splice(0)) {
      client.close();
      await slowed.stop();
    }
  });
  return async (rules, options = {}) => {
    const slowed = await startSlowedWatches({ target: kubeconfigPath(), rules });
    const client = createClient({ kubeconfig: slowed.kubeconfigPath, namespace, ...options });
    const pair = { client, slowed };
    started.push(pair);
    return pair;
  };
}

/** One update that changed the snapshot: when, what its fields held, and its deltas. */
export interface Seen {
  readonly ms: number;
  readonly fields: Readonly<Record<string, readonly KubernetesObject[]>>;
  readonly deltas: readonly Delta[];
}

/** `+812ms configmaps=[a@12 {k:v}] deltas=[add a]`: one seen update, for failure messages. */
export function describeSeen(seen: Seen): string {
  const fields = Object.entries(seen.fields)
    .map(
      ([name, items]) =>
        `${name}=[${items
          .map(
            (o) =>
              `${o.metadata?.name}@${o.metadata?.resourceVersion}${
                (o as { data?: unknown }).data ? ` ${JSON.stringify((o as { data?: unknown }).data)}` : ''
              }${o.metadata?.labels?.counter ? ` counter=${o.metadata.labels.counter}` : ''}`,
          )
          .join(', ')}]`,
    )
    .join(' ');
  return `+${seen.ms}ms ${fields} deltas=[${seen.deltas.map((d) => `${d.type} ${d.name}`).join(', ')}]`;
}

/**
 * Reads an accumulator the way Go kates' tests do (`<-acc.Changed()`, then `UpdateWithDeltas`,
 * again while nothing changed), into one snapshot, keeping every update that changed it.
 */
export class Observer<S extends Record<string, readonly KubernetesObject[]>> {
  readonly snapshot: Partial<Record<keyof S & string, readonly KubernetesObject[]>> = {};
  readonly log: Seen[] = [];
  private readonly start = Date.now();

  constructor(readonly acc: Accumulator<S>) {}

  /** Fills the snapshot now; the deltas when it changed, undefined when it did not. */
  updateNow(): readonly Delta[] | undefined {
    const deltas: Delta[] = [];
    if (!this.acc.updateWithDeltas(this.snapshot as never, deltas)) return undefined;
    this.log.push({
      ms: Date.now() - this.start,
      fields: { ...(this.snapshot as Record<string, readonly KubernetesObject[]>) },
      deltas: [...deltas],
    });
    return deltas;
  }

  /** Waits for the next change signal that changes the snapshot; its deltas. */
  async next(timeoutMs = 20_000): Promise<readonly Delta[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no change within ${timeoutMs} ms; seen:\n${this.describe()}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.acc.changed(), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
      const deltas = this.updateNow();
      if (deltas) return deltas;
    }
  }

  /**
   * Reads every change until `done` resolves, then once more after `settleMs` (the last line the
   * proxy sent is parsed and stored by then). Returns the updates seen meanwhile.
   */
  async until(done: Promise<unknown>, settleMs = 500): Promise<readonly Seen[]> {
    const from = this.log.length;
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      await Promise.race([this.acc.changed(), done]);
      this.updateNow();
    }
    await new Promise((r) => setTimeout(r, settleMs));
    this.updateNow();
    return this.log.slice(from);
  }

  describe(from = 0): string {
    return this.log.slice(from).map(describeSeen).join('\n') || '(no update)';
  }
}
