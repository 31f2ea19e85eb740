import type { KubernetesObject } from '@kates/core';
import type { CrdController } from './crd-controller.js';
import { type ObjectApi, SYSTEM_MANAGER } from './object-api.js';
import { hasStatusSubresource, type ResourceRegistry, type ServedResource } from './registry.js';
import { ApiError } from './status.js';

/** The namespaces every cluster starts with. */
const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates the built-in namespaces and the seed objects: namespaces and CRDs first, then the rest, status kept. */
export function seed(
  api: ObjectApi,
  registry: ResourceRegistry,
  crds: CrdController,
  objects: readonly KubernetesObject[],
): void {
  const system = { manager: SYSTEM_MANAGER };
  const nsResource = registry.lookup('', 'v1', 'namespaces') as ServedResource;
  const given = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  for (const ns of NAMESPACES)
    if (!given.has(ns)) api.create(nsResource, undefined, { metadata: { name: ns } }, system);
  const rank = (o: KubernetesObject) =>
    o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2;
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  let establishedCrds = false;
  for (const obj of ordered) {
    if (rank(obj) === 2 && !establishedCrds) {
      crds.establishAll();
      establishedCrds = true;
    }
    const r = registry.forKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!r) {
      throw new Error(
        `seed object ${obj.kind ?? '<no kind>'} ${obj.metadata?.name ?? ''}: apiVersion "${obj.apiVersion}" ` +
          `kind "${obj.kind}" is not served by the fake API server; define its CRD in the seed, before it`,
      );
    }
    const namespace = r.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    try {
      const created = api.create(r, namespace, obj as Record<string, unknown>, system);
      if (obj.status !== undefined && hasStatusSubresource(r)) {
        const body = created.body as KubernetesObject;
        api.update(
          r,
          namespace,
          body.metadata?.name as string,
          { ...body, status: obj.status },
          { ...system, subresource: 'status' },
        );
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      throw new Error(
        `seed object ${obj.kind} ${namespace ? `${namespace}/` : ''}${obj.metadata?.name ?? ''} was refused: ` +
          `${e.message}. Fix it in the seed passed to startFakeApiServer`,
      );
    }
  }
  if (!establishedCrds) crds.establishAll();
}
