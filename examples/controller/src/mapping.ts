import type { CustomResourceDefinition, KubernetesObject } from '@kates/core';

/** The example's own custom resource, in the spirit of Emissary's Mapping: route a prefix to a Service. */
export interface Mapping extends KubernetesObject {
  apiVersion?: 'example.kates.dev/v1';
  kind?: 'Mapping';
  spec: {
    /** URL prefix, e.g. `/shop/`. */
    prefix: string;
    /** A Service in the Mapping's namespace. */
    service: string;
    port?: number;
  };
}

export const MAPPING_GROUP = 'example.kates.dev';

/** The CRD that serves Mappings; the controller installs it if it is missing. */
export const mappingCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `mappings.${MAPPING_GROUP}` },
  spec: {
    group: MAPPING_GROUP,
    scope: 'Namespaced',
    names: { plural: 'mappings', singular: 'mapping', kind: 'Mapping', shortNames: ['mp'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['prefix', 'service'],
                properties: {
                  prefix: { type: 'string', pattern: '^/' },
                  service: { type: 'string' },
                  port: { type: 'integer', minimum: 1, maximum: 65535 },
                },
              },
            },
          },
        },
      },
    ],
  },
};
