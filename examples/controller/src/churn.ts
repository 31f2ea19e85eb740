import type { Client, Deployment, KubernetesObject } from '@kates/core';
import { isPodReady, setPodReady } from './kubelet.js';
import type { Mapping } from './mapping.js';
import { rolloutOf, scaleTo, syncStatus } from './rollout.js';

/**
 * Makes something visibly happen on the embedded server: Deployments' Pods turn unready and come
 * back (restarted), as a kubelet reports them, and the ReplicaSet and Deployment statuses follow
 * (their readiness changes the routes); now and then a Deployment is scaled, its Pods created or
 * deleted; Mappings are added and removed; each with the Events a cluster records. Deterministic
 * sequence, one step per tick, over the Deployments of `namespaces` (all namespaces by default).
 */
export function startChurn(
  client: Client,
  log: (line: string) => void,
  everyMs = 2000,
  namespaces?: readonly string[],
): () => void {
  let step = 0;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await tick(client, step++, log, namespaces);
    } catch (e) {
      log(`churn: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  }, everyMs);
  return () => clearInterval(timer);
}

/** The objects of a kind in `namespaces`, or in all namespaces. */
async function listIn<T extends KubernetesObject>(
  client: Client,
  kind: string,
  namespaces: readonly string[] | undefined,
): Promise<T[]> {
  const lists = await Promise.all(
    (namespaces ?? ['all']).map((namespace) => client.list(kind, { namespace })),
  );
  return lists.flat() as T[];
}

async function tick(
  client: Client,
  step: number,
  log: (line: string) => void,
  namespaces: readonly string[] | undefined,
): Promise<void> {
  const deployments = await listIn<Deployment>(client, 'deploy', namespaces);
  if (deployments.length === 0) return;
  // Two steps in four change a Deployment: half the step number goes round every one of them.
  const d = deployments[Math.floor(step / 2) % deployments.length]!;
  switch (step % 4) {
    case 0:
    case 2: {
      const rollout = await rolloutOf(client, d);
      // Now and then a scale instead, where there are Pods to scale.
      if (rollout && rollout.pods.length > 0 && step % 8 === 6) {
        const replicas = rollout.pods.length >= 3 ? rollout.pods.length - 1 : rollout.pods.length + 1;
        await scaleTo(client, rollout, replicas);
        log(`churn: scaled ${d.metadata?.namespace}/${d.metadata?.name} to ${replicas} replicas`);
      } else if (rollout && rollout.pods.length > 0) {
        // The embedded server has no kubelet: churn plays its part (the Pods' readiness) and the
        // ReplicaSet and Deployment controllers' (their statuses count the ready Pods).
        const makeReady = rollout.pods.some((p) => !isPodReady(p));
        const pods: KubernetesObject[] = [];
        for (const p of rollout.pods)
          pods.push(isPodReady(p) === makeReady ? p : await setPodReady(client, p, makeReady));
        const ready = await syncStatus(client, rollout, pods);
        log(`churn: ${d.metadata?.namespace}/${d.metadata?.name} now has ${ready} ready replicas`);
      } else {
        // No Pods behind it (a real API server without controllers): only the Deployment's status.
        const ready = (d.status?.readyReplicas ?? 0) > 0 ? 0 : (d.spec?.replicas ?? 1);
        await client.updateStatus({
          ...d,
          status: { ...d.status, replicas: d.spec?.replicas ?? 1, readyReplicas: ready },
        });
        log(`churn: ${d.metadata?.namespace}/${d.metadata?.name} now has ${ready} ready replicas`);
      }
      break;
    }
    case 1: {
      const name = `canary-${step}`;
      await client.create<Mapping>({
        apiVersion: 'example.kates.dev/v1',
        kind: 'Mapping',
        metadata: { name, namespace: d.metadata?.namespace },
        spec: { prefix: `/canary/${step}/`, service: 'missing' },
      });
      log(`churn: added mapping ${d.metadata?.namespace}/${name}`);
      break;
    }
    case 3: {
      const canaries = (await listIn<Mapping>(client, 'mappings.example.kates.dev', namespaces)).filter((m) =>
        m.metadata?.name?.startsWith('canary-'),
      );
      const victim = canaries[0];
      if (victim) {
        await client.delete(victim);
        log(`churn: removed mapping ${victim.metadata?.namespace}/${victim.metadata?.name}`);
      }
      break;
    }
  }
}
