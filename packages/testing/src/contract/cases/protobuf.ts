import { describe, expect, it } from 'vitest';
import type { Transcoder } from '../../fake/protobuf/transcoder.js';
import { type ContractContext, configMaps, deployment, deployments, stableMetadata } from './context.js';
import { eventually } from './crd.js';
import { CRDS, crdManifest, waitForCrd } from './crd-fixture.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const ENVELOPE = Buffer.from('k8s\0', 'binary');

/**
 * Protobuf, the wire format of client-go's typed clients (kubectl's imperative commands, Go
 * controllers): bodies sent and answers read in it, lists, errors and watch frames, and the
 * custom resources that have no protobuf form. `codec` encodes and decodes as client-go does
 * (kates-protobuf, the release's own apimachinery codecs); it needs Go, so these cases run in
 * protobuf.contract.cluster.test.ts rather than with the rest of the contract.
 */
export function protobufContract(ctx: ContractContext, codec: () => Transcoder): void {
  describe('protobuf', () => {
    const encode = (obj: unknown) => codec().toProtobuf(JSON.stringify(obj));
    const decode = async (bytes: Buffer) => JSON.parse(await codec().toJson(bytes));
    const configMap = (name: string, data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { protobuf: 'contract' } },
      data,
    });

    it('creates a ConfigMap sent in protobuf, answers it in protobuf, and keeps what JSON reads back', async () => {
      const name = ctx.name('pb');
      const path = configMaps(ctx.namespace());
      const res = await ctx.http().requestBytes('POST', path, {
        body: await encode(configMap(name, { a: '1' })),
        contentType: PROTOBUF,
        accept: `${PROTOBUF}, */*`,
      });
      expect([res.status, res.headers.get('content-type')]).toEqual([201, PROTOBUF]);
      expect(res.bytes.subarray(0, 4)).toEqual(ENVELOPE);
      const created = await decode(res.bytes);
      const read = (await ctx.http().get(`${path}/${name}`)).body;
      expect(created).toEqual(read);
      expect(read.data).toEqual({ a: '1' });
    });

    it('creates a Deployment sent in protobuf as the JSON one', async () => {
      const name = ctx.name('pb-deploy');
      const res = await ctx.http().requestBytes('POST', deployments(ctx.namespace()), {
        body: await encode(deployment(name)),
        contentType: PROTOBUF,
        accept: PROTOBUF,
      });
      expect(res.status).toBe(201);
      const created = await decode(res.bytes);
      expect(created.kind).toBe('Deployment');
      expect(stableMetadata(created.metadata)).toEqual({
        name,
        namespace: ctx.namespace(),
        labels: { app: name },
        generation: 1,
      });
      expect(created.spec.template.spec.containers[0]).toMatchObject({ name: 'main', image: 'busybox:1.36' });
    });

    it('gets and lists in protobuf what JSON gets and lists', async () => {
      const name = ctx.name('pb-read');
      const path = configMaps(ctx.namespace());
      await ctx.http().post(path, configMap(name, { b: '2' }));
      const one = await ctx.http().requestBytes('GET', `${path}/${name}`, { accept: PROTOBUF });
      expect([one.status, one.headers.get('content-type')]).toEqual([200, PROTOBUF]);
      expect(await decode(one.bytes)).toEqual((await ctx.http().get(`${path}/${name}`)).body);

      const query = `?labelSelector=protobuf%3Dcontract`;
      const list = await ctx
        .http()
        .requestBytes('GET', path + query, { accept: `${PROTOBUF}, application/json` });
      expect([list.status, list.headers.get('content-type')]).toEqual([200, PROTOBUF]);
      const decoded = await decode(list.bytes);
      const json = (await ctx.http().get(path + query)).body;
      expect(decoded.kind).toBe('ConfigMapList');
      expect(decoded.apiVersion).toBe('v1');
      expect(decoded.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(
        json.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      );
      expect(decoded.metadata.resourceVersion).toMatch(/^\d+$/);
    });

    it('refuses bytes that are not protobuf with 400, quoting them as the apiserver does', async () => {
      const res = await ctx.http().requestBytes('POST', configMaps(ctx.namespace()), {
        body: Buffer.from('k8s\0garbage', 'binary'),
        contentType: PROTOBUF,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.bytes.toString('utf8'))).toMatchObject({
        reason: 'BadRequest',
        message:
          'the object provided is unrecognized (must be of type ConfigMap): proto: illegal wireType 7 (6b38730067617262616765)',
      });
    });

    it('answers an error in protobuf when the client prefers it: a Status', async () => {
      const res = await ctx.http().requestBytes('GET', `${configMaps(ctx.namespace())}/absent`, {
        accept: `${PROTOBUF}, application/json`,
      });
      expect([res.status, res.headers.get('content-type')]).toEqual([404, PROTOBUF]);
      expect(await decode(res.bytes)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'configmaps "absent" not found',
        reason: 'NotFound',
        details: { name: 'absent', kind: 'configmaps' },
        code: 404,
      });
    });

    it('updates in protobuf and streams the change as a length-delimited WatchEvent', async () => {
      const name = ctx.name('pb-watch');
      const path = configMaps(ctx.namespace());
      const created = (await ctx.http().post(path, configMap(name, { c: '3' }))).body;
      const watch = await ctx
        .http()
        .watchFrames(
          path,
          { fieldSelector: `metadata.name=${name}`, resourceVersion: created.metadata.resourceVersion },
          `${PROTOBUF}, application/json`,
        );
      try {
        expect([watch.status, watch.headers.get('content-type')]).toEqual([200, `${PROTOBUF};stream=watch`]);
        const updated = { ...created, data: { c: '4' } };
        const put = await ctx.http().requestBytes('PUT', `${path}/${name}`, {
          body: await encode(updated),
          contentType: PROTOBUF,
          accept: PROTOBUF,
        });
        expect(put.status).toBe(200);
        const [frame] = await watch.until(1);
        // A frame is the event without an envelope; its object has one, as a body does.
        expect(frame?.subarray(0, 4)).not.toEqual(ENVELOPE);
        const event = JSON.parse(await codec().watchEventJson(frame as Buffer));
        expect(event.type).toBe('MODIFIED');
        expect(event.object).toEqual(await decode(put.bytes));
      } finally {
        watch.close();
      }
    });

    it('serves a custom resource in JSON to a client that prefers protobuf, and a 406 Status in protobuf to one that takes protobuf alone', async () => {
      const crd = crdManifest(ctx.name('pb').toLowerCase());
      await ctx.http().post(CRDS, crd.body);
      try {
        await waitForCrd(ctx.http(), crd);
        const path = `/apis/${crd.group}/v1/namespaces/${ctx.namespace()}/${crd.plural}`;
        // The real server answers 429 for a moment after Established, while the CR's storage starts.
        const inJson = await eventually(`${crd.plural} served`, async () => {
          const res = await ctx.http().requestBytes('GET', path, { accept: `${PROTOBUF}, application/json` });
          return res.status === 429 ? undefined : res;
        });
        expect([inJson.status, inJson.headers.get('content-type')]).toEqual([200, 'application/json']);
        expect(JSON.parse(inJson.bytes.toString('utf8')).kind).toBe(`${crd.kind}List`);
        const refused = await ctx.http().requestBytes('GET', path, { accept: PROTOBUF });
        expect([refused.status, refused.headers.get('content-type')]).toEqual([406, PROTOBUF]);
        expect(await decode(refused.bytes)).toMatchObject({
          kind: 'Status',
          reason: 'NotAcceptable',
          message:
            'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
          code: 406,
        });
      } finally {
        await ctx.http().delete(`${CRDS}/${crd.name}`);
      }
    });
  });
}
