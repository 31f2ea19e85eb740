import type { Client, CustomResourceDefinition, Query } from '@kates/core';

/**
 * What a chaos run works on: two namespaces, a CRD of its own, and the queries its accumulators
 * watch. Labels: every workload object has `chaos=yes` and a `chaos-group` (red, blue or green)
 * that updates move around, so objects enter and leave label-selected watches.
 */
export interface ChaosWorld {
  /** The namespace of the reconciler's parents and children, and of namespaced queries. */
  readonly namespaceA: string;
  readonly namespaceB: string;
  /** The CRD's API group, `chaos.kates.dev`. */
  readonly group: string;
  /** The CRD's resource name with its group, as a query's kind: `widgets.chaos.kates.dev`. */
  readonly widgetKind: string;
  /** The accumulators of the faulted client and their queries, by accumulator name. */
  readonly accumulators: Readonly<Record<string, readonly Query[]>>;
}

/** The label of a reconciler's child: the uid of its parent. */
export const PARENT_UID_LABEL = 'parent-uid';
/** The labels that make a ConfigMap a parent, and their selector. */
export const PARENT_LABELS: Readonly<Record<string, string>> = { role: 'parent' };
export const PARENT_SELECTOR = 'role=parent';

const GROUP = 'chaos.kates.dev';

/** The world of a chaos run in namespaces `chaos-a` and `chaos-b`. */
export function chaosWorld(): ChaosWorld {
  const namespaceA = 'chaos-a';
  const namespaceB = 'chaos-b';
  const widgetKind = `widgets.${GROUP}`;
  return {
    namespaceA,
    namespaceB,
    group: GROUP,
    widgetKind,
    accumulators: {
      // Across namespaces, with set-based and equality label selectors, and one CRD.
      inventory: [
        { name: 'configmaps', kind: 'cm', labelSelector: 'chaos-group in (red,blue)' },
        { name: 'secrets', kind: 'secret', namespace: namespaceA },
        { name: 'services', kind: 'svc', labelSelector: 'chaos=yes' },
        { name: 'widgets', kind: widgetKind },
      ],
      // One namespace, unselected and selected.
      namespaced: [
        { name: 'configmaps', kind: 'cm', namespace: namespaceB },
        { name: 'widgets', kind: widgetKind, namespace: namespaceB, labelSelector: 'chaos-group=red' },
        { name: 'secrets', kind: 'secret', labelSelector: 'chaos-group=blue' },
      ],
      slow: [
        { name: 'services', kind: 'svc', namespace: namespaceB },
        { name: 'configmaps', kind: 'cm', labelSelector: 'chaos=yes,chaos-group!=green' },
      ],
    },
  };
}

/** The CRD a chaos run creates at start: a namespaced `Widget` with `spec.size`. */
export function widgetCrd(world: ChaosWorld): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: world.widgetKind },
    spec: {
      group: world.group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

/**
 * Creates the namespaces and the CRD through `client` and waits until the CRD is Established and
 * its kind resolves, so that accumulators made afterwards bootstrap at once.
 */
export async function createWorld(client: Client, world: ChaosWorld, timeoutMs = 30_000): Promise<void> {
  for (const name of [world.namespaceA, world.namespaceB])
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await client.create(widgetCrd(world));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await client.get<CustomResourceDefinition>('crd', world.widgetKind);
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) {
      try {
        await client.list(world.widgetKind, { namespace: world.namespaceA });
        return;
      } catch {
        // served a moment after Established; asked again below
      }
    }
    if (Date.now() > deadline)
      throw new Error(
        `CRD ${world.widgetKind} was not served within ${timeoutMs} ms; see the kube-apiserver log`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
