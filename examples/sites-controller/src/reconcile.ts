import {
  type EventRecorder,
  objectByKey,
  type ReconcileResult,
  type Reconciler,
  setCondition,
  TerminalError,
  withFinalizer,
} from '@kates/controller';
import {
  type Client,
  type ConfigMap,
  isNotFound,
  type KubernetesObject,
  ownerReferenceTo,
} from '@kates/core';
import type { Site } from './site.js';

/** Held by every Site until its hostname claim is released. */
export const FINALIZER = 'example.kates.dev/release-hostname';
/** The ConfigMap of a namespace that maps each claimed hostname to its Site. Not owned: the finalizer cleans it. */
export const HOSTNAMES = 'site-hostnames';
/** Labels the ConfigMaps this controller publishes, so that it watches only those. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'sites-controller' } as const;
const FIELD_MANAGER = 'sites-controller';
const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What the reconciler reads and writes through. */
export interface SiteReconcilerDeps {
  readonly client: Client;
  readonly events: EventRecorder;
  /** The newest snapshot: its Sites and the content ConfigMaps published for them. */
  readonly snapshot: () => { readonly sites?: readonly Site[]; readonly contents?: readonly ConfigMap[] };
}

const contentName = (site: Site) => `${site.metadata?.name}-content`;

/**
 * Reconciles one Site, by key: claims its hostname, publishes its content as an owned ConfigMap,
 * and says so in its `Ready` condition and in Events. Its finalizer releases the claim when the
 * Site is deleted (the ConfigMap goes by garbage collection, the claim would not).
 */
export function siteReconciler(deps: SiteReconcilerDeps): Reconciler {
  return async ({ key, signal }) => {
    const site = objectByKey(deps.snapshot().sites, key);
    // Gone: nothing left to do; the finalizer released its claim before it went.
    if (!site) return undefined;
    return withFinalizer(
      deps.client,
      site,
      FINALIZER,
      { apply: (s) => publish(deps, s), cleanup: (s) => release(deps, s) },
      { signal },
    );
  };
}

async function publish(deps: SiteReconcilerDeps, site: Site): Promise<ReconcileResult | undefined> {
  const { hostname } = site.spec;
  if (!HOSTNAME.test(hostname ?? '')) {
    await ready(deps, site, 'False', 'InvalidHostname', `"${hostname}" is not a DNS name`);
    deps.events.event(site, {
      type: 'Warning',
      reason: 'InvalidHostname',
      action: 'Publish',
      note: `"${hostname}" is not a DNS name`,
    });
    // Retrying will not fix the spec: the next change of the Site will.
    throw new TerminalError(`site ${key(site)}: hostname "${hostname}" is not a DNS name`);
  }
  const holder = await claim(deps.client, site);
  if (holder !== site.metadata?.name) {
    const note = `hostname ${hostname} is claimed by site ${holder}`;
    await ready(deps, site, 'False', 'HostnameTaken', note);
    deps.events.event(site, { type: 'Warning', reason: 'HostnameTaken', action: 'Publish', note });
    // Claims are released by other Sites' finalizers, which this controller does not watch: look again later.
    return { requeueAfter: 30_000 };
  }
  const published = objectByKey(deps.snapshot().contents, `${site.metadata?.namespace}/${contentName(site)}`);
  if (published?.data?.['index.html'] !== site.spec.content || published?.data?.hostname !== hostname) {
    await deps.client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: contentName(site),
          namespace: site.metadata?.namespace,
          labels: { ...MANAGED_BY },
          ownerReferences: [ownerReferenceTo(site)],
        },
        data: { 'index.html': site.spec.content, hostname },
      },
      { fieldManager: FIELD_MANAGER, force: true },
    );
    deps.events.event(site, {
      type: 'Normal',
      reason: 'Published',
      action: 'Publish',
      note: `serving ${hostname}`,
    });
  }
  await ready(deps, site, 'True', 'Published', `serving ${hostname}`);
  return undefined;
}

/** Claims the Site's hostname (and drops any it held before); returns the Site that holds it. */
async function claim(client: Client, site: Site): Promise<string> {
  const name = site.metadata?.name as string;
  const namespace = site.metadata?.namespace as string;
  const ref = { kind: 'cm', name: HOSTNAMES, namespace };
  try {
    const updated = await client.modify<ConfigMap>(ref, (cm) => {
      const data: Record<string, string> = {};
      for (const [host, holder] of Object.entries(cm.data ?? {}))
        if (holder !== name || host === site.spec.hostname) data[host] = holder;
      data[site.spec.hostname] ??= name;
      cm.data = data;
    });
    return updated.data?.[site.spec.hostname] as string;
  } catch (e) {
    if (!isNotFound(e)) throw e;
    // The first claim of the namespace. A concurrent first claim makes this fail with
    // AlreadyExists: the error requeues the key, and the next attempt modifies instead.
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: HOSTNAMES, namespace },
      data: { [site.spec.hostname]: name },
    });
    return name;
  }
}

/** The finalizer's work: give up every hostname this Site holds. */
async function release(deps: SiteReconcilerDeps, site: Site): Promise<void> {
  const name = site.metadata?.name;
  try {
    await deps.client.modify<ConfigMap>(
      { kind: 'cm', name: HOSTNAMES, namespace: site.metadata?.namespace as string },
      (cm) => {
        cm.data = Object.fromEntries(Object.entries(cm.data ?? {}).filter(([, holder]) => holder !== name));
      },
    );
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  deps.events.event(site, {
    type: 'Normal',
    reason: 'Released',
    action: 'Delete',
    note: `released ${site.spec.hostname}`,
  });
}

/** Sets the `Ready` condition, writing status only when it changed. */
async function ready(
  deps: SiteReconcilerDeps,
  site: Site,
  status: 'True' | 'False',
  reason: string,
  message: string,
) {
  const conditions = site.status?.conditions;
  const next = setCondition(conditions, {
    type: 'Ready',
    status,
    reason,
    message,
    observedGeneration: site.metadata?.generation,
  });
  if (next === conditions) return;
  await deps.client.updateStatus({ ...site, status: { ...site.status, conditions: [...next] } });
}

function key(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace}/${obj.metadata?.name}`;
}
