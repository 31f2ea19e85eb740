import type { JsonObject } from '../json.js';
import { defaultValue, struct } from './set.js';

/**
 * autoscaling HorizontalPodAutoscaler: at least one replica, and at v2 a CPU target of 80% when it
 * names no metric. (At v1 the apiserver converts to v2 and back, which the fake does not.)
 */
export function defaultHorizontalPodAutoscaler(obj: JsonObject, version: string): void {
  const spec = struct(obj, 'spec');
  defaultValue(spec, 'minReplicas', 1);
  if (version !== 'v2') return;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
}
