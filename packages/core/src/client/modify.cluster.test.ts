import { describe, expect, it } from 'vitest';
import { isConflict, isNotFound } from '../errors/predicates.js';
import type { ConfigMap } from '../model/kinds.js';
import { cluster, uniqueName, useClusterNamespace } from './__fixtures__/cluster.js';
import { interposing } from './__fixtures__/interpose.js';
import { Client } from './client.js';
import type { ClientWrite } from './types.js';

const ctx = useClusterNamespace('modify');

const configMap = (name: string, data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

describe.skipIf(!cluster)('modify against the API server', () => {
  it('changes the object in place or by returning a new one, and hands each change to the store', async () => {
    const name = uniqueName('count');
    await ctx.client.create(configMap(name, { n: '0' }));
    const writes: ClientWrite[] = [];
    const stop = ctx.client.onWrite((w) => writes.push(w));
    try {
      const inPlace = await ctx.client.modify({ kind: 'cm', name }, (cm) => {
        cm.data = { n: '1' };
      });
      expect(inPlace.data).toEqual({ n: '1' });
      const returned = await ctx.client.modify(inPlace, (cm) => ({ ...cm, data: { n: '2' } }));
      expect(returned.data).toEqual({ n: '2' });
      expect(writes.map((w) => w.verb)).toEqual(['modify', 'modify']);
    } finally {
      stop();
    }
  });

  it('sends no update when the function changes nothing', async () => {
    const name = uniqueName('same');
    await ctx.client.create(configMap(name, { a: 'b' }));
    const transport = interposing(ctx.client.transport, () => undefined);
    const client = new Client({ transport, namespace: ctx.namespace });
    const result = await client.modify({ kind: 'cm', name }, () => undefined);
    expect(result.data).toEqual({ a: 'b' });
    expect(transport.counts.PUT).toBeUndefined();
  });

  it('serializes concurrent changes through conflicts, losing none', async () => {
    const name = uniqueName('concurrent');
    await ctx.client.create(configMap(name, { n: '0' }));
    await Promise.all(
      Array.from({ length: 5 }, () =>
        ctx.client.modify<ConfigMap>({ kind: 'cm', name }, (cm) => {
          cm.data = { n: String(Number(cm.data?.n) + 1) };
        }),
      ),
    );
    expect((await ctx.client.get('cm', name)).data).toEqual({ n: '5' });
  });

  it('gives up after the bounded number of conflicts, having run the function each time', async () => {
    const name = uniqueName('contended');
    await ctx.client.create(configMap(name, { n: '0' }));
    let other = 0;
    const transport = interposing(ctx.client.transport, async (req) => {
      if (req.method === 'PUT')
        await ctx.client.patch({ kind: 'cm', name }, { data: { other: String(++other) } });
    });
    const client = new Client({ transport, namespace: ctx.namespace });
    let runs = 0;
    const error = await client
      .modify(
        { kind: 'cm', name },
        (cm) => {
          runs++;
          cm.data = { ...cm.data, mine: String(runs) };
        },
        { retries: 1 },
      )
      .catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((error as Error).message).toMatch(/^modify: gave up after 2 attempts/);
    expect(runs).toBe(2);
  });

  it('does not retry a missing object', async () => {
    let runs = 0;
    const error = await ctx.client
      .modify({ kind: 'cm', name: 'absent' }, () => {
        runs++;
      })
      .catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect(runs).toBe(0);
  });
});
