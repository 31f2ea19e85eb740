import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { queryMatches } from './match.js';

describe('queryMatches', () => {
  const p = pod('web-1', { namespace: 'ns1', rv: '1', labels: { app: 'web', tier: 'fe' }, phase: 'Running' });

  it('judges namespace, labels and fields together', () => {
    expect(queryMatches({ labelSelector: '', fieldSelector: '' }, p)).toBe(true);
    expect(
      queryMatches({ namespace: 'ns1', labelSelector: 'app=web', fieldSelector: 'status.phase=Running' }, p),
    ).toBe(true);
    expect(queryMatches({ namespace: 'ns2', labelSelector: '', fieldSelector: '' }, p)).toBe(false);
    expect(queryMatches({ labelSelector: 'app in (db),tier', fieldSelector: '' }, p)).toBe(false);
    expect(queryMatches({ labelSelector: '!canary', fieldSelector: 'metadata.name!=web-1' }, p)).toBe(false);
    expect(
      queryMatches({ labelSelector: '', fieldSelector: 'metadata.namespace=ns1,metadata.name=web-1' }, p),
    ).toBe(true);
  });

  it('decides which queries of the store a local write joins', () => {
    const d = new StoreDriver()
      .watch('set', { labelSelector: 'app in (web,api),!canary' })
      .watch('name', { fieldSelector: 'metadata.name=web-1' })
      .watch('ns2', { namespace: 'ns2' })
      .query('set', 'set', { labelSelector: 'app in (web,api),!canary' })
      .query('name', 'name', { fieldSelector: 'metadata.name=web-1' })
      .query('ns2', 'ns2', { namespace: 'ns2' });
    d.list('set', '0', []).list('name', '0', []).list('ns2', '0', []);
    d.write(p);
    d.write(pod('api-1', { namespace: 'ns2', rv: '2', labels: { app: 'api', canary: 'yes' } }));
    d.write(pod('api-2', { namespace: 'ns2', rv: '3', labels: { app: 'api' } }));
    expect(d.names('set')).toEqual(['ns1/web-1@1', 'ns2/api-2@3']);
    expect(d.names('name')).toEqual(['ns1/web-1@1']);
    expect(d.names('ns2')).toEqual(['ns2/api-1@2', 'ns2/api-2@3']);
  });

  it('re-judges a held object when a newer version stops matching its query', () => {
    const d = new StoreDriver()
      .watch('running', { fieldSelector: 'status.phase=Running' })
      .watch('all')
      .query('running', 'running', { fieldSelector: 'status.phase=Running' })
      .query('all', 'all');
    d.list('running', '1', [p]).list('all', '1', [p]);
    expect(d.names('running')).toEqual(['ns1/web-1@1']);
    // The other watch sees it fail first: the newest state no longer matches `running`.
    d.events('all', [
      'MODIFIED',
      pod('web-1', { namespace: 'ns1', rv: '2', labels: { app: 'web' }, phase: 'Failed' }),
    ]);
    expect(d.names('running')).toEqual([]);
    expect(d.names('all')).toEqual(['ns1/web-1@2']);
  });

  it('ignores the namespace of a query of a cluster-scoped kind, as its watch does', () => {
    const d = new StoreDriver()
      .watch('nodes', { groupKind: 'Node' })
      .query('nodes', 'nodes', { groupKind: 'Node', kind: 'nodes', namespace: 'default' });
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', uid: 'n1', resourceVersion: '3' },
    };
    d.list('nodes', '3', [node]);
    expect(d.items('nodes').map((o) => o.metadata?.name)).toEqual(['n1']);
  });
});
