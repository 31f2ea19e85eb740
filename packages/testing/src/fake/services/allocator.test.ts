import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractHttp } from '../../contract/http.js';
import { eventually } from '../../eventually.js';
import { type FakeApiServer, startFakeApiServer } from '../server.js';

// What the real test cluster cannot show (it runs no namespace controller): addresses come back
// when the namespace holding their Services is deleted, and a seeded Service gets its addresses too.
describe('the fake API server allocating Service addresses', () => {
  let server: FakeApiServer;
  let http: ContractHttp;

  beforeAll(async () => {
    server = await startFakeApiServer({
      seed: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'seeded' }, spec: { ports: [{ port: 80 }] } },
      ],
    });
    http = new ContractHttp(server.kubeconfigPath);
  });
  afterAll(async () => {
    await http.close();
    await server.stop();
  });

  it('gives a seeded Service a cluster IP', async () => {
    const seeded = await http.get('/api/v1/namespaces/default/services/seeded');
    expect(seeded.body.spec.clusterIP).toMatch(/^10\.0\.0\.\d+$/);
  });

  it('frees the addresses of the Services of a deleted namespace', async () => {
    await http.post('/api/v1/namespaces', { metadata: { name: 'gone' } });
    const spec = { clusterIP: '10.0.0.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] };
    const first = await http.post('/api/v1/namespaces/gone/services', { metadata: { name: 'a' }, spec });
    expect(first.status).toBe(201);
    const taken = await http.post('/api/v1/namespaces/default/services', { metadata: { name: 'b' }, spec });
    expect(taken.status).toBe(422);
    await http.delete('/api/v1/namespaces/gone');
    await eventually(
      'the namespace is gone',
      async () => (await http.get('/api/v1/namespaces/gone')).status,
      (status) => status === 404,
    );
    const again = await http.post('/api/v1/namespaces/default/services', { metadata: { name: 'b' }, spec });
    expect(again.status).toBe(201);
    expect(again.body.spec).toMatchObject({ clusterIP: '10.0.0.5', ports: [{ nodePort: 30005 }] });
  });
});
