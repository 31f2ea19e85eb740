import { describe, expect, it } from 'vitest';
import type { ContractHttp } from '../http.js';
import { configMaps } from './context.js';

/**
 * An unknown query parameter on a list or a watch is ignored: the answer is the one without it.
 * kates relies on it where a page's projection (`katesFields`, which the kates proxy serves and
 * takes out) reaches an API server through a proxy that passes it on (`kubectl proxy`): the page
 * gets whole objects and projects them itself.
 */
export function unknownParameterContract(http: () => ContractHttp, namespace: () => string, name: string) {
  describe('an unknown query parameter', () => {
    it('is ignored by a list and a watch: the same objects as without it', async () => {
      const created = await http().post(configMaps(namespace()), {
        metadata: { name, labels: { group: name } },
        data: { a: '1' },
      });
      expect(created.status, created.text).toBe(201);
      const path = `${configMaps(namespace())}?labelSelector=group%3D${name}`;
      const plain = await http().get(path);
      const odd = await http().get(`${path}&katesFields=data.a%2Cspec.x`);
      expect(odd.status, odd.text).toBe(200);
      expect(odd.body.items).toEqual(plain.body.items);
      const watch = await http().watch(configMaps(namespace()), {
        labelSelector: `group=${name}`,
        resourceVersion: '0',
        katesFields: 'data.a',
      });
      try {
        expect(watch.status).toBe(200);
        const [added] = await watch.until((lines) => lines.length >= 1);
        expect(added?.type).toBe('ADDED');
        expect(added?.object).toEqual(created.body);
      } finally {
        watch.close();
      }
    });
  });
}
