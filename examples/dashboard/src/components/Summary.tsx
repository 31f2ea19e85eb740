import type { KubernetesObject } from '@kates/core/browser';
import { countBy, useSnapshot } from '@kates/react';
import { perItems, sameCounts } from '../rows.js';

const noItems: readonly KubernetesObject[] = [];

/** A pod's phase, the key pods are counted by (`countBy` moves the counts by the pods that changed). */
const phaseOf = (pod: KubernetesObject): string => pod.status?.phase ?? 'Unknown';

const deploymentReadiness = perItems((deployments) => {
  let ready = 0;
  for (const d of deployments) if ((d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1)) ready++;
  return { ready, total: deployments.length };
});

const nodeReadiness = perItems((nodes) => {
  let ready = 0;
  for (const n of nodes)
    if (
      (n.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
      )
    )
      ready++;
  return { ready, total: nodes.length };
});

/** Counts per kind, and pods by phase: recomputed once per change of the kind they count. */
export function Summary() {
  const phases = useSnapshot((s) => countBy(s.pods ?? noItems, phaseOf), sameCounts);
  const deployments = useSnapshot((s) => deploymentReadiness(s.deployments ?? noItems), sameCounts);
  const nodes = useSnapshot((s) => nodeReadiness(s.nodes ?? noItems), sameCounts);
  const counts = useSnapshot(
    (s) => ({
      namespaces: (s.namespaces ?? noItems).length,
      services: (s.services ?? noItems).length,
      configmaps: (s.configmaps ?? noItems).length,
      mappings: (s.mappings ?? noItems).length,
    }),
    sameCounts,
  );
  const pods = Object.values(phases).reduce((a, b) => a + b, 0);
  return (
    <div className="summary" data-testid="summary">
      <Card label="Nodes" value={`${nodes.ready}/${nodes.total}`} detail="ready" />
      <Card label="Namespaces" value={counts.namespaces} />
      <Card label="Deployments" value={`${deployments.ready}/${deployments.total}`} detail="ready" />
      <Card
        label="Pods"
        value={pods}
        detail={Object.entries(phases)
          .filter(([, n]) => n > 0)
          .map(([p, n]) => `${n} ${p}`)
          .join(' · ')}
      />
      <Card label="Services" value={counts.services} />
      <Card label="ConfigMaps" value={counts.configmaps} />
      <Card label="Mappings" value={counts.mappings} />
    </div>
  );
}

function Card({ label, value, detail }: { label: string; value: number | string; detail?: string }) {
  return (
    <div className="card" data-testid={`count-${label.toLowerCase()}`}>
      <div className="card-value">{value}</div>
      <div className="card-label">{label}</div>
      {detail ? <div className="card-detail">{detail}</div> : null}
    </div>
  );
}
