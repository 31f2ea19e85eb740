import type { KubernetesObject } from '@kates/core';
import type { CrdController } from './crd-controller.js';
import { type ObjectApi, SYSTEM_MANAGER } from './object-api.js';
import { hasStatusSubresource, type ResourceRegistry, type ServedResource } from './registry.js';
import { ApiError } from './status.js';

/** The namespaces every cluster starts with. */
const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

type Reference = { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string };

/** An object's key among the seeded ones: its kind, namespace ('' when cluster-scoped) and name. */
const seededKey = (kind: string | undefined, namespace: string | undefined, name: string | undefined) =>
  `${kind ?? ''}\u0000${namespace ?? ''}\u0000${name ?? ''}`;

/**
 * `obj` with the uids its references leave out filled in, from the objects seeded before it: a
 * seed cannot know the uids the server will assign, so an owner reference (or an Event's
 * `involvedObject`) without one names an object by kind and name, in the dependent's namespace or
 * cluster-scoped. An owner reference that names no seeded object is an error in the seed.
 */
function withSeededUids(obj: KubernetesObject, uids: ReadonlyMap<string, string>): KubernetesObject {
  const namespace = obj.metadata?.namespace ?? 'default';
  const uidOf = (ref: Reference, ns: string | undefined) =>
    uids.get(seededKey(ref.kind, ns, ref.name)) ?? uids.get(seededKey(ref.kind, undefined, ref.name));
  const owners = obj.metadata?.ownerReferences as Reference[] | undefined;
  const involved = obj.involvedObject as Reference | undefined;
  if (!owners?.some((r) => !r.uid) && !(involved && !involved.uid)) return obj;
  const out: KubernetesObject = { ...obj };
  if (owners) {
    const ownerReferences = owners.map((ref) => {
      if (ref.uid) return ref;
      const uid = uidOf(ref, namespace);
      if (!uid)
        throw new Error(
          `seed object ${obj.kind} ${obj.metadata?.name}: its owner reference to ${ref.kind} ${ref.name} has no ` +
            'uid and names no object seeded before it; seed the owner first',
        );
      return { ...ref, uid };
    });
    out.metadata = { ...obj.metadata, ownerReferences } as KubernetesObject['metadata'];
  }
  if (involved && !involved.uid) {
    const uid = uidOf(involved, involved.namespace);
    if (uid) out.involvedObject = { ...involved, uid };
  }
  return out;
}

/**
 * Creates the built-in namespaces and the seed objects: namespaces and CRDs first, then the rest
 * in the order given, status kept; references without a uid get the uid of the object seeded
 * under their name ({@link withSeededUids}).
 */
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
  const uids = new Map<string, string>();
  for (const given of ordered) {
    const obj = withSeededUids(given, uids);
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
      const meta = (created.body as KubernetesObject).metadata;
      if (meta?.uid) uids.set(seededKey(obj.kind, namespace, meta.name), meta.uid);
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
