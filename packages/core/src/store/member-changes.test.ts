import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { diffMembers } from './member-changes.js';
import { diffTrees, type Tree } from './tree.js';

type Change = [uid: string, before: KubernetesObject | undefined, after: KubernetesObject | undefined];

function changes(
  diff: typeof diffTrees<KubernetesObject>,
  a: Tree<KubernetesObject>,
  b: Tree<KubernetesObject>,
): Change[] {
  const out: Change[] = [];
  diff(a, b, (uid, before, after) => out.push([uid, before, after]));
  return out.sort(([x], [y]) => (x < y ? -1 : 1));
}

const event = fc.record({
  type: fc.constantFrom('ADDED' as const, 'MODIFIED' as const, 'DELETED' as const),
  name: fc.integer({ min: 0, max: 30 }),
  web: fc.boolean(),
});

describe('the changes recorded beside members trees', () => {
  it('give what walking the trees gives, between any two versions of a query', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(event, { minLength: 1, maxLength: 6 }), { maxLength: 25 }),
        fc.boolean(),
        (batches, listFirst) => {
          const d = new StoreDriver()
            .watch('all')
            .watch('web', { labelSelector: 'app=web' })
            .query('all', 'all')
            .query('web', 'web', { labelSelector: 'app=web' });
          if (listFirst) d.list('all', '10', [pod('p1', { rv: '1' }), pod('p2', { rv: '2' })]);
          const versions: Record<string, Tree<KubernetesObject>[]> = { all: [], web: [] };
          const keep = () => {
            for (const q of ['all', 'web']) versions[q]!.push(d.state.queries[q]!.members);
          };
          keep();
          let rv = 10;
          for (const batch of batches) {
            const events = batch.map(
              ({ type, name, web }) =>
                [type, pod(`p${name}`, { rv: String(++rv), labels: { app: web ? 'web' : 'db' } })] as [
                  'ADDED' | 'MODIFIED' | 'DELETED',
                  KubernetesObject,
                ],
            );
            d.events('all', ...events);
            d.events('web', ...events.filter(([, o]) => o.metadata?.labels?.app === 'web'));
            keep();
          }
          for (const q of ['all', 'web']) {
            const vs = versions[q]!;
            for (let i = 0; i < vs.length; i++)
              for (let j = i; j < vs.length; j++)
                expect(changes(diffMembers, vs[i]!, vs[j]!)).toEqual(changes(diffTrees, vs[i]!, vs[j]!));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
