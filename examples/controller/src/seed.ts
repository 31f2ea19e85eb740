import type { KubernetesObject } from '@kates/core';
import { mappingCrd } from './mapping.js';

const mapping = (namespace: string, name: string, prefix: string, service: string): KubernetesObject => ({
  apiVersion: 'example.kates.dev/v1',
  kind: 'Mapping',
  metadata: { name, namespace },
  spec: { prefix, service },
});

/** Mappings for the embedded server's sample cluster, with their CRD first. */
export function sampleMappings(): KubernetesObject[] {
  return [
    mappingCrd,
    mapping('shop', 'storefront', '/', 'storefront'),
    mapping('shop', 'checkout', '/checkout/', 'checkout'),
    mapping('shop', 'inventory', '/api/inventory/', 'inventory'),
    mapping('monitoring', 'grafana', '/grafana/', 'grafana'),
  ];
}
