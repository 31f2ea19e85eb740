import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import type { KubernetesObject } from '../model/object.js';
import { formatSelector } from './format.js';
import { matchesFields, matchesLabels } from './match.js';
import { parseFieldSelector, parseLabelSelector } from './parse.js';
import { SelectorError } from './types.js';

// The unit tests say what the apiserver does; this file asks a real one, so they cannot drift apart.
const cluster = realCluster();

describe.skipIf(!cluster)('selectors compared with a real kube-apiserver', () => {
  const namespace = `selectors-${Date.now().toString(36)}`;
  let core: CoreV1Api;
  const labelSets: (Record<string, string> | undefined)[] = [
    undefined,
    { a: 'b' },
    { a: 'c' },
    { a: '' },
    { a: 'b', b: 'x' },
    { b: 'y' },
    { 'example.com/a': 'b' },
  ];

  beforeAll(async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster!.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await Promise.all(
      labelSets.map((labels, i) =>
        core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `cm-${i}`, labels } } }),
      ),
    );
    await core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: 'ev' },
        reason: 'a,b=c\\d',
        involvedObject: { kind: 'ConfigMap', name: 'cm-0', namespace },
      },
    });
  });
  afterAll(async () => {
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('selects the same ConfigMaps as matchesLabels for every operator', async () => {
    const selectors = [
      'a=b',
      'a==b',
      'a!=b',
      'a=',
      'a in (b,c)',
      'a notin (b)',
      'a',
      '!a',
      'a,b',
      'a!=b,!b',
      'a in ()',
      'example.com/a=b',
      'a notin (b,c),b notin (x)',
    ];
    for (const s of selectors) {
      const sel = parseLabelSelector(s);
      const list = await core.listNamespacedConfigMap({ namespace, labelSelector: formatSelector(sel) });
      const server = list.items.map((cm) => cm.metadata!.name).sort();
      const ours = labelSets
        .map((labels, i) => (matchesLabels(sel, labels) ? `cm-${i}` : ''))
        .filter(Boolean)
        .sort();
      expect(ours, s).toEqual(server);
    }
  });

  it('refuses the same malformed label selectors', async () => {
    const inputs = [
      'a=b=c',
      'a b',
      ',a',
      'a,',
      '!a=b',
      'a in b',
      'a in (b c)',
      '-a',
      'a=-b',
      'a/b/c',
      'a=b,,c',
      `${'k'.repeat(64)}`,
      'a in (b,)',
      'in=notin',
      'a=b/c',
      '!',
      'a notin',
    ];
    for (const s of inputs) {
      let ours = 'accepted';
      try {
        parseLabelSelector(s);
      } catch (e) {
        expect(e).toBeInstanceOf(SelectorError);
        ours = 'refused';
      }
      const server = await core.listNamespacedConfigMap({ namespace, labelSelector: s }).then(
        () => 'accepted',
        (e: { code?: number }) => (e.code === 400 ? 'refused' : `error ${e.code}`),
      );
      expect(ours, s).toBe(server);
    }
  });

  it('matches escaped field selector values like the server', async () => {
    const sel = parseFieldSelector('reason=a\\,b\\=c\\\\d');
    const list = await core.listNamespacedEvent({ namespace, fieldSelector: formatSelector(sel) });
    expect(list.items.map((e) => e.metadata?.name)).toEqual(['ev']);
    expect(matchesFields(sel, list.items[0]! as unknown as KubernetesObject)).toBe(true);
    const none = await core.listNamespacedEvent({ namespace, fieldSelector: 'reason!=a\\,b\\=c\\\\d' });
    expect(none.items).toEqual([]);
  });
});
