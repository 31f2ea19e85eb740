import type { Client, Deployment } from '@kates/core';
import type { Mapping } from './mapping.js';

/**
 * Makes something visibly happen on the embedded server: scales deployments (their readiness
 * changes the routes), adds and removes Mappings. Deterministic sequence, one step per tick.
 */
export function startChurn(client: Client, log: (line: string) => void, everyMs = 2000): () => void {
  let step = 0;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await tick(client, step++, log);
    } catch (e) {
      log(`churn: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  }, everyMs);
  return () => clearInterval(timer);
}

async function tick(client: Client, step: number, log: (line: string) => void): Promise<void> {
  const deployments = await client.list<Deployment>('deploy', { namespace: 'all' });
  if (deployments.length === 0) return;
  const d = deployments[step % deployments.length]!;
  switch (step % 4) {
    case 0:
    case 2: {
      // The embedded server has no kubelet: churn plays its part and reports readiness.
      const ready = (d.status?.readyReplicas ?? 0) > 0 ? 0 : (d.spec?.replicas ?? 1);
      await client.updateStatus({
        ...d,
        status: { ...d.status, replicas: d.spec?.replicas ?? 1, readyReplicas: ready },
      });
      log(`churn: ${d.metadata?.namespace}/${d.metadata?.name} now has ${ready} ready replicas`);
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
      const canaries = (
        await client.list<Mapping>('mappings.example.kates.dev', { namespace: 'all' })
      ).filter((m) => m.metadata?.name?.startsWith('canary-'));
      const victim = canaries[0];
      if (victim) {
        await client.delete(victim);
        log(`churn: removed mapping ${victim.metadata?.namespace}/${victim.metadata?.name}`);
      }
      break;
    }
  }
}
