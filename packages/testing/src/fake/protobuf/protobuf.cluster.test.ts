import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../server.js';
import { ensureProtobufTranscoder } from './build.js';
import { PROTOBUF, PROTOBUF_WATCH } from './response.js';
import { TRANSCODER_ENV, Transcoder } from './transcoder.js';

/**
 * The fake's protobuf, byte for byte as client-go reads it: bodies are encoded and decoded here with
 * the same Go codec (kates-protobuf), which is the Kubernetes release's own. The comparison with the
 * real API server is the contract suite's (contract/protobuf.contract.cluster.test.ts).
 */
describe('the fake API server in protobuf', () => {
  let fake: FakeApiServer;
  let codec: Transcoder;
  const agent = new Agent();

  beforeAll(async () => {
    codec = new Transcoder(await ensureProtobufTranscoder());
    fake = await startFakeApiServer();
  });
  afterAll(async () => {
    await fake.stop();
    await agent.close();
  });
  afterEach(() => {
    delete process.env[TRANSCODER_ENV];
  });

  const send = async (method: string, path: string, headers: Record<string, string>, body?: Uint8Array) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${fake.token}`, ...headers },
      body,
      dispatcher: agent,
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const configMap = (name: string, data: Record<string, string>) =>
    codec.toProtobuf(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }));

  it('creates an object sent in protobuf and answers it in protobuf', async () => {
    const body = await configMap('pb-create', { a: '1' });
    const res = await send(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { 'content-type': PROTOBUF, accept: `${PROTOBUF}, */*` },
      body,
    );
    expect(res.status).toBe(201);
    expect(res.type).toBe(PROTOBUF);
    expect(res.bytes.subarray(0, 4)).toEqual(Buffer.from('k8s\0', 'binary'));
    const created = JSON.parse(await codec.toJson(res.bytes));
    expect(created).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'pb-create', namespace: 'default' },
      data: { a: '1' },
    });
    expect(created.metadata.uid).toBeTruthy();
  });

  it('answers a list in protobuf when the client prefers it, and in JSON when it prefers JSON', async () => {
    await send(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { 'content-type': PROTOBUF },
      await configMap('pb-list', {}),
    );
    const inProtobuf = await send('GET', '/api/v1/namespaces/default/configmaps', {
      accept: `${PROTOBUF}, application/json`,
    });
    expect(inProtobuf.type).toBe(PROTOBUF);
    const list = JSON.parse(await codec.toJson(inProtobuf.bytes));
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('pb-list');
    const inJson = await send('GET', '/api/v1/namespaces/default/configmaps', {
      accept: `application/json, ${PROTOBUF}`,
    });
    expect(inJson.type).toBe('application/json');
  });

  it('answers a metadata-only list in protobuf, as the metadata informers of controllers ask for it', async () => {
    const meta = 'as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
    const res = await send('GET', '/api/v1/namespaces/default/configmaps', {
      accept: `${PROTOBUF};${meta},application/json;${meta},application/json`,
    });
    expect([res.status, res.type]).toEqual([200, PROTOBUF]);
    const list = JSON.parse(await codec.toJson(res.bytes));
    expect([list.kind, list.apiVersion]).toEqual(['PartialObjectMetadataList', 'meta.k8s.io/v1']);
    expect(list.items[0]).not.toHaveProperty('data');
  });

  it('answers an error Status in protobuf', async () => {
    const res = await send('GET', '/api/v1/namespaces/default/configmaps/nope', { accept: PROTOBUF });
    expect(res.status).toBe(404);
    expect(res.type).toBe(PROTOBUF);
    expect(JSON.parse(await codec.toJson(res.bytes))).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
  });

  it('streams a watch as length-delimited WatchEvent frames', async () => {
    const controller = new AbortController();
    const res = await fetch(
      `${fake.url}/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dpb-watch`,
      {
        headers: { authorization: `Bearer ${fake.token}`, accept: `${PROTOBUF}, application/json` },
        dispatcher: agent,
        signal: controller.signal,
      },
    );
    expect(res.headers.get('content-type')).toBe(PROTOBUF_WATCH);
    await send(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { 'content-type': PROTOBUF },
      await configMap('pb-watch', { b: '2' }),
    );
    let buffered = Buffer.alloc(0);
    for await (const chunk of res.body ?? []) {
      buffered = Buffer.concat([buffered, chunk as Uint8Array]);
      if (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) break;
    }
    controller.abort();
    const event = JSON.parse(await codec.watchEventJson(buffered.subarray(4, 4 + buffered.readUInt32BE(0))));
    expect(event).toMatchObject({
      type: 'ADDED',
      object: { kind: 'ConfigMap', metadata: { name: 'pb-watch' }, data: { b: '2' } },
    });
  });

  it('refuses a protobuf body for a custom resource with 415, as custom resources have no protobuf form', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.pb.kates.example' },
      spec: {
        group: 'pb.kates.example',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await send(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      { 'content-type': PROTOBUF },
      await codec.toProtobuf(JSON.stringify(crd)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const path = '/apis/pb.kates.example/v1/namespaces/default/widgets';
    const res = await send(
      'POST',
      path,
      { 'content-type': PROTOBUF },
      Buffer.from('k8s\0anything', 'binary'),
    );
    expect(res.status).toBe(415);
    // Its objects are answered in JSON where JSON is accepted, its errors in protobuf, as the real server does.
    expect((await send('GET', path, { accept: `${PROTOBUF}, application/json` })).type).toBe(
      'application/json',
    );
    const refused = await send('GET', path, { accept: PROTOBUF });
    expect([refused.status, refused.type]).toEqual([406, PROTOBUF]);
  });

  it('answers a protobuf body with 415 naming the resource and the way to get the codec where it is not built', async () => {
    process.env[TRANSCODER_ENV] = 'off';
    const res = await send(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      { 'content-type': PROTOBUF, accept: 'application/json' },
      Buffer.from('k8s\0', 'binary'),
    );
    expect(res.status).toBe(415);
    const status = JSON.parse(res.bytes.toString('utf8'));
    expect(status.reason).toBe('UnsupportedMediaType');
    expect(status.message).toContain('deployments.apps');
    expect(status.message).toContain('install Go');
    // Accept falls through to JSON.
    expect(
      (await send('GET', '/api/v1/namespaces/default/configmaps', { accept: `${PROTOBUF}, */*` })).type,
    ).toBe('application/json');
  });
});
