import { describe, expectTypeOf, it } from 'vitest';
import type { ConfigMap, Deployment, Pod, Service } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import type { NodeTransportOptions } from '../transport/node.js';
import type { ApiWarning } from '../transport/warnings.js';
import type { Client } from './client.js';
import type { CreateClientOptions } from './create-client.js';
import type {
  ClientOptions,
  ClientWrite,
  DeleteResult,
  FieldValidation,
  ListPage,
  WriteOptions,
} from './types.js';

declare const client: Client;
declare const pod: Pod;

interface Widget extends KubernetesObject {
  spec?: { size?: number };
}

describe('client types', () => {
  it('resolves create(pod) to Pod, and every write to its input type', () => {
    expectTypeOf(client.create(pod)).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.update(pod)).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.updateStatus(pod)).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.apply(pod)).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.upsert(pod)).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.patch(pod, { metadata: { labels: { a: 'b' } } })).resolves.toEqualTypeOf<Pod>();
    expectTypeOf(client.delete(pod)).resolves.toEqualTypeOf<DeleteResult<Pod>>();
    expectTypeOf(client.modify(pod, (p) => p)).resolves.toEqualTypeOf<Pod>();
  });

  it('types a call by kind name from the name kubectl uses', () => {
    expectTypeOf(client.get('deploy', 'web')).resolves.toEqualTypeOf<Deployment>();
    expectTypeOf(client.get('deployments.apps', 'web')).resolves.toEqualTypeOf<Deployment>();
    expectTypeOf(client.get('svc', 'web')).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.list('cm')).resolves.toEqualTypeOf<ConfigMap[]>();
    expectTypeOf(client.patch({ kind: 'deploy', name: 'web' }, {})).resolves.toEqualTypeOf<Deployment>();
    expectTypeOf(
      client.modify({ kind: 'svc', name: 'web' }, (s) => {
        expectTypeOf(s).toEqualTypeOf<Service>();
      }),
    ).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.listPages('pods')).toEqualTypeOf<AsyncGenerator<ListPage<Pod>, void, undefined>>();
  });

  it('takes an explicit type for kinds it has no alias for, and is untyped otherwise', () => {
    expectTypeOf(client.get<Widget>('wd', 'w1')).resolves.toEqualTypeOf<Widget>();
    expectTypeOf(client.list<Widget>('widgets')).resolves.toEqualTypeOf<Widget[]>();
    expectTypeOf(client.get('widgets.example.com', 'w1')).resolves.toEqualTypeOf<KubernetesObject>();
    const untyped = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 1 },
    };
    expectTypeOf(client.create(untyped)).resolves.toMatchTypeOf<typeof untyped>();
    // A literal's metadata grows to what the server answers with.
    expectTypeOf(client.create(untyped))
      .resolves.toHaveProperty('metadata')
      .toHaveProperty('uid')
      .toEqualTypeOf<string | undefined>();
  });

  it('describes plain JSON: timestamps are strings', () => {
    expectTypeOf<NonNullable<Pod['metadata']>['creationTimestamp']>().toEqualTypeOf<string | undefined>();
  });

  it('names the field validations the API server knows, and takes a warning handler or false', () => {
    expectTypeOf<FieldValidation>().toEqualTypeOf<'Strict' | 'Warn' | 'Ignore'>();
    expectTypeOf<WriteOptions['fieldValidation']>().toEqualTypeOf<FieldValidation | undefined>();
    expectTypeOf<ClientOptions['onWarning']>().toEqualTypeOf<((w: ApiWarning) => void) | false | undefined>();
    // @ts-expect-error: kubectl's spelling (`strict`) is not the API's
    client.create(pod, { fieldValidation: 'strict' });
  });

  it('takes compression as a boolean, for createClient and the Node transport alike', () => {
    expectTypeOf<CreateClientOptions['compression']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NodeTransportOptions['compression']>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error: the kubeconfig's spelling is not an option
    const options: CreateClientOptions = { 'disable-compression': true };
    expectTypeOf(options).toEqualTypeOf<CreateClientOptions>();
  });

  it('hands writes to listeners as ClientWrite', () => {
    expectTypeOf(client.onWrite).parameter(0).toEqualTypeOf<(write: ClientWrite) => void>();
    expectTypeOf(client.onWrite(() => undefined)).toEqualTypeOf<() => void>();
  });
});
