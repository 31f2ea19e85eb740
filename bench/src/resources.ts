import type { ResourceType } from '@kates/core';
import type { BenchKind } from './objects.js';

/** The two kinds the benchmarks use, as discovery serves them (no discovery round trip needed). */
export const RESOURCES: Readonly<Record<BenchKind, ResourceType>> = {
  ConfigMap: {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['cm'],
  },
  Pod: {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['po'],
  },
};

/** Resolves the benchmark kinds, as a client's discovery would. */
export async function resolveBenchKind(kind: string): Promise<ResourceType> {
  const rt = RESOURCES[kind as BenchKind];
  if (!rt)
    throw Object.assign(new Error(`kind "${kind}" is not a benchmark kind (ConfigMap, Pod)`), {
      unserved: true,
    });
  return rt;
}
