import type { JsonObject } from '../json.js';
import { defaultString, defaultValue, items, struct } from './set.js';

/**
 * core/v1 Service defaults (SetDefaults_Service): type, session affinity, port protocol and target
 * port, traffic policies. Cluster IPs, IP families and node ports are not defaults but
 * allocations (../services/), made after these.
 */
export function defaultService(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultString(spec, 'sessionAffinity', 'None');
  defaultString(spec, 'type', 'ClusterIP');
  for (const port of items(spec, 'ports')) {
    defaultString(port, 'protocol', 'TCP');
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ''
    )
      port.targetPort = port.port;
  }
  if (spec.sessionAffinity === 'ClientIP') {
    const config = struct(spec, 'sessionAffinityConfig');
    const clientIP = struct(config, 'clientIP');
    defaultValue(clientIP, 'timeoutSeconds', 10800);
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
    defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type !== 'ExternalName') defaultString(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') defaultValue(spec, 'allocateLoadBalancerNodePorts', true);
}
