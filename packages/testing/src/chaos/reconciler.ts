import {
  type Accumulator,
  type Client,
  type ConfigMap,
  isNotFound,
  type KubernetesObject,
  type Query,
} from '@kates/core';
import { isUnknownOutcome } from './outcome.js';
import { changedOrAborted } from './wait.js';
import { PARENT_SELECTOR, PARENT_UID_LABEL } from './world.js';

/** What the parent/child reconciler did. */
export interface ReconcilerCounts {
  /** Turns: snapshot reads followed by a pass over every parent. */
  reconciles: number;
  childrenCreated: number;
  childrenDeleted: number;
  /** Creates that failed without telling whether they happened (see {@link runReconciler}). */
  unknownOutcomes: number;
  /** ... of which the verifying LIST found the child (the create had happened). */
  unknownFoundCreated: number;
  /** ... of which the verifying LIST found nothing, so the child was created again. */
  unknownFoundAbsent: number;
  /** ... of which the watch showed the child before any LIST was needed. */
  unknownSeenByWatch: number;
  /** Writes that succeeded but whose result the next snapshot did not show (a kates bug). */
  coherenceViolations: string[];
  /** Parents the reconciler's own snapshot showed with two or more children (a duplicate, or a ghost). */
  duplicatesSeen: string[];
}

/** Options of {@link runReconciler}. */
export interface ReconcilerOptions {
  /**
   * After a create with an unknown outcome, how long (ms) to wait before a LIST may decide that
   * it did not happen (default 3000). See {@link runReconciler}.
   */
  readonly settleMs?: number;
}

interface Doubt {
  /** When the create failed. */
  readonly since: number;
  /** A LIST found the child: wait for the watch to show it, create nothing. */
  found: boolean;
}

/**
 * A controller in the style kates is for, running through the faulted client: for every parent
 * (a ConfigMap labelled `role=parent` in `namespace`) it keeps exactly one child, a ConfigMap
 * with `generateName` and the label `parent-uid=<uid>`, and deletes the children of parents that
 * are gone. It reads only its snapshot, and trusts it: after a successful create the next
 * snapshot shows the child (read/write coherence), so it never asks the API server whether a
 * child exists.
 *
 * The one exception is a create whose outcome is unknown (no answer: the connection was cut
 * mid-request, or a 5xx). The API server may have committed it; the watch would then deliver
 * the child later, and creating again at once could make a duplicate. The rule:
 *
 * 1. The parent is "in doubt": nothing is created for it while it is.
 * 2. If the snapshot shows a child for it, the create had happened: the doubt ends.
 * 3. Once `settleMs` has passed since the failure, a LIST labelled `parent-uid=<uid>` (no
 *    resourceVersion: a quorum read from etcd, never a cache) decides. A child found: the
 *    create happened; keep waiting for the watch to show it (create nothing). None found: it did
 *    not happen; the doubt ends and the child is created again.
 *
 * Why a settle time: a request kube-apiserver received either commits within one etcd round
 * trip or is abandoned when its connection closes; the strict bound is the server's request
 * timeout (60 s by default), far more than loopback needs. 3 s is ample here; the duplicate
 * count at the end of the run is what would show it is not.
 *
 * `acc` is an accumulator of `client` over {@link reconcilerQueries}. Runs until `signal` aborts;
 * the caller closes `acc`.
 */
export async function runReconciler(
  client: Client,
  acc: Accumulator,
  namespace: string,
  signal: AbortSignal,
  counts: ReconcilerCounts,
  options: ReconcilerOptions = {},
): Promise<void> {
  const settleMs = options.settleMs ?? 3000;
  const snap: { parents?: readonly KubernetesObject[]; children?: readonly KubernetesObject[] } = {};
  if (!acc.queryId('parents') || !acc.queryId('children'))
    throw new TypeError(
      'runReconciler: the accumulator must have the queries of reconcilerQueries(namespace)',
    );
  const doubts = new Map<string, Doubt>();
  const hasChild = (uid: string) => (snap.children ?? []).some((c) => c.metadata?.uid === uid);
  const childrenOf = () => {
    const by = new Map<string, KubernetesObject[]>();
    for (const c of snap.children ?? []) {
      const parent = c.metadata?.labels?.[PARENT_UID_LABEL] ?? '';
      by.set(parent, [...(by.get(parent) ?? []), c]);
    }
    return by;
  };

  const createChild = async (parent: KubernetesObject) => {
    const uid = parent.metadata!.uid!;
    try {
      const child = await client.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          generateName: `${parent.metadata!.name}-child-`,
          namespace,
          labels: { [PARENT_UID_LABEL]: uid },
        },
        data: { parent: parent.metadata!.name! },
      });
      counts.childrenCreated++;
      acc.update(snap);
      if (!hasChild(child.metadata!.uid!))
        counts.coherenceViolations.push(
          `created ${namespace}/${child.metadata!.name} but the next snapshot lacks it`,
        );
    } catch (e) {
      if (!isUnknownOutcome(e)) throw e;
      counts.unknownOutcomes++;
      doubts.set(uid, { since: Date.now(), found: false });
    }
  };

  /** Whether the parent may get a child now (see the rule above). */
  const mayCreate = async (uid: string): Promise<boolean> => {
    const doubt = doubts.get(uid);
    if (!doubt) return true;
    if (doubt.found || Date.now() - doubt.since < settleMs) return false;
    let listed: KubernetesObject[];
    try {
      listed = await client.list('cm', { namespace, labelSelector: `${PARENT_UID_LABEL}=${uid}` });
    } catch (e) {
      if (isUnknownOutcome(e)) return false;
      throw e;
    }
    if (listed.length > 0) {
      doubt.found = true;
      counts.unknownFoundCreated++;
      return false;
    }
    doubts.delete(uid);
    counts.unknownFoundAbsent++;
    return true;
  };

  const reconcile = async () => {
    const parents = new Set<string>();
    for (const parent of snap.parents ?? []) {
      const uid = parent.metadata?.uid;
      if (!uid) continue;
      parents.add(uid);
      // From the newest snapshot: a create earlier in this pass has updated it.
      const kids = childrenOf().get(uid) ?? [];
      if (kids.length > 1) {
        const label = `${namespace}/${parent.metadata?.name}: ${kids
          .map((k) => k.metadata?.name)
          .sort()
          .join(', ')}`;
        if (!counts.duplicatesSeen.includes(label)) counts.duplicatesSeen.push(label);
      }
      if (kids.length > 0) {
        if (doubts.has(uid)) {
          if (!doubts.get(uid)!.found) counts.unknownSeenByWatch++;
          doubts.delete(uid);
        }
        continue;
      }
      if (parent.metadata?.deletionTimestamp) continue;
      if (await mayCreate(uid)) await createChild(parent);
      if (signal.aborted) return;
    }
    for (const uid of doubts.keys()) if (!parents.has(uid)) doubts.delete(uid);
    for (const [parentUid, kids] of childrenOf()) {
      if (parents.has(parentUid)) continue;
      for (const kid of kids) {
        try {
          const result = await client.delete(
            { kind: 'cm', name: kid.metadata!.name!, namespace },
            { preconditions: { uid: kid.metadata!.uid! } },
          );
          counts.childrenDeleted++;
          acc.update(snap);
          if (result.deleted && hasChild(kid.metadata!.uid!))
            counts.coherenceViolations.push(
              `deleted ${namespace}/${kid.metadata?.name} but the next snapshot shows it`,
            );
        } catch (e) {
          if (!isNotFound(e) && !isUnknownOutcome(e)) throw e;
        }
      }
    }
  };

  try {
    await changedOrAborted(acc, signal);
    while (!signal.aborted) {
      acc.update(snap);
      counts.reconciles++;
      await reconcile();
      // Doubts are decided by time as well as by changes: look again soon while any is open.
      await changedOrAborted(acc, signal, doubts.size > 0 ? 250 : 1000);
    }
  } catch (e) {
    throw new Error(`the reconciler of namespace ${namespace} stopped: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** The queries of the reconciler's accumulator: parents and children in `namespace`. */
export function reconcilerQueries(namespace: string): readonly Query[] {
  return [
    { name: 'parents', kind: 'cm', namespace, labelSelector: PARENT_SELECTOR },
    { name: 'children', kind: 'cm', namespace, labelSelector: PARENT_UID_LABEL },
  ];
}

/** Fresh counters for {@link runReconciler}. */
export function reconcilerCounts(): ReconcilerCounts {
  return {
    reconciles: 0,
    childrenCreated: 0,
    childrenDeleted: 0,
    unknownOutcomes: 0,
    unknownFoundCreated: 0,
    unknownFoundAbsent: 0,
    unknownSeenByWatch: 0,
    coherenceViolations: [],
    duplicatesSeen: [],
  };
}
