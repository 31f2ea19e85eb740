import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { cluster, useNamespace } from './__fixtures__/real-cluster.js';
import { isKind, ManifestError, parseManifests } from './manifests.js';

function thrown(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

describe('parseManifests', () => {
  it('reads a multi-document YAML stream, skipping empty and comment-only documents', () => {
    const objs = parseManifests(`# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {k: v}
---
# only a comment
---
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
...
`);
    expect(objs.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['ConfigMap/a', 'Deployment/web']);
    expect(objs[1]?.spec.replicas).toBe(2);
  });

  it('reads one JSON object and a stream of JSON objects', () => {
    expect(parseManifests('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}')).toHaveLength(1);
    const stream = parseManifests(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n' +
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","annotations":{"x":"}{"}}}',
    );
    expect(stream.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    expect(stream[1]?.metadata?.annotations?.x).toBe('}{');
  });

  it('reads YAML as Kubernetes does: octal modes, yes/no booleans, merge keys, dates as strings', () => {
    const [pod] = parseManifests(`apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    when: 2024-01-02
    ratio: 1:20
base: &base {image: busybox}
spec:
  containers:
  - <<: *base
    name: c
    tty: yes
  volumes:
  - name: v
    configMap: {name: cm, defaultMode: 0644}
`);
    expect(pod?.spec.volumes[0].configMap.defaultMode).toBe(0o644);
    expect(pod?.spec.containers[0]).toEqual({ image: 'busybox', name: 'c', tty: true });
    expect(pod?.metadata?.annotations).toEqual({ when: '2024-01-02', ratio: '1:20' });
  });

  it('flattens a List, and a typed list whose items omit their kind', () => {
    const objs = parseManifests(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMapList',
        metadata: {},
        items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
      }),
    );
    expect(objs).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
    ]);
    const list = parseManifests(
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n',
    );
    expect(list[0]?.kind).toBe('Service');
  });

  it('names the document and line of a YAML syntax error, and the file when given', () => {
    const e = thrown(() =>
      parseManifests('apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: [\n', {
        source: 'app.yaml',
      }),
    );
    expect(e.documentIndex).toBe(1);
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/^app\.yaml: document 2 \(line 6, column 1\): /);
  });

  it('names the document and line of an object without kind, and says what to set', () => {
    const e = thrown(() =>
      parseManifests(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n' +
          'apiVersion: v1\nmetadata: {name: b}\n',
      ),
    );
    expect(e.documentIndex).toBe(1);
    expect(e.line).toBe(6);
    expect(e.message).toContain('the object "b" has no kind');
    expect(e.message).toContain('apiVersion: apps/v1 and kind: Deployment');
  });

  it('refuses a document that is not a mapping, and duplicate keys', () => {
    expect(thrown(() => parseManifests('- a\n- b\n')).message).toContain('found a list');
    expect(thrown(() => parseManifests('just text')).message).toContain('found a string');
    const dup = thrown(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n'));
    expect(dup.line).toBe(3);
    expect(dup.message).toMatch(/unique/i);
  });

  it('names the document and line of broken JSON in a JSON stream', () => {
    const e = thrown(() =>
      parseManifests('{"apiVersion":"v1","kind":"ConfigMap"}\n{"apiVersion":"v1",\n"kind": "ConfigMap" "x"}'),
    );
    expect(e.documentIndex).toBe(1);
    expect(e.line).toBe(3);
    expect(e.message).toContain('invalid JSON');
  });

  it('never quotes the text of a document in its errors, YAML or JSON', () => {
    const secret = 'c3VwZXItc2VjcmV0LXRva2Vu';
    const yaml = thrown(() =>
      parseManifests(`apiVersion: v1\nkind: Secret\ndata:\n  token: ${secret}\n   bad: [\n`),
    );
    expect(yaml.message).not.toContain(secret);
    const json = thrown(() =>
      parseManifests(
        `{"kind":"Secret","data":{"token":"${secret}",}}{"kind":"Secret","data":{"token":"${secret}" x}}`,
      ),
    );
    expect(json.documentIndex).toBe(1);
    expect(json.message).not.toContain(secret);
  });

  it('reads flow-style YAML that looks like JSON as YAML', () => {
    const objs = parseManifests(
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {b: '}{'}}}",
    );
    expect(objs[0]?.metadata?.annotations).toEqual({ b: '}{' });
  });

  it('narrows objects to typed kinds by kind and apiVersion', () => {
    const objs: KubernetesObject[] = parseManifests(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\n' +
        'kind: Deployment\nmetadata: {name: old}\n',
    );
    const deployments = objs.filter((o) => isKind(o, 'Deployment'));
    expect(deployments.map((d) => d.metadata?.name)).toEqual(['a']);
  });
});

const ctx = useNamespace('manifests');

describe.skipIf(!cluster)('parseManifests with a real API server', () => {
  it('parses manifests that the server accepts as written, octal file modes included', async () => {
    const objs = parseManifests(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {enabled: "yes"}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  containers: [{name: c, image: busybox}]
  volumes:
  - name: settings
    configMap: {name: settings, defaultMode: 0644}
`);
    for (const obj of objs) await ctx.client.create(obj);
    const pod = await ctx.client.get('Pod', 'reader');
    expect(pod.spec?.volumes?.[0]?.configMap?.defaultMode).toBe(420);
    const cm = await ctx.client.get('ConfigMap', 'settings');
    expect(cm.data).toEqual({ enabled: 'yes' });
  });

  it('reads what the server sends back: a typed list becomes its objects', async () => {
    const res = await ctx.client.transport.request({
      method: 'GET',
      path: `/api/v1/namespaces/${ctx.namespace}/configmaps`,
    });
    const text = await res.text();
    expect(JSON.parse(text).kind).toBe('ConfigMapList');
    const objs = parseManifests(text);
    expect(objs.length).toBeGreaterThan(0);
    expect(objs.every((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1')).toBe(true);
    expect(objs.map((o) => o.metadata?.name)).toContain('settings');
  });
});
