import type { Condition } from '@kates/controller';
import type { CustomResourceDefinition, KubernetesObject } from '@kates/core';

export const SITE_GROUP = 'example.kates.dev';

/** A static website: its content is published as a ConfigMap, its hostname claimed in the namespace. */
export interface Site extends KubernetesObject {
  apiVersion?: 'example.kates.dev/v1';
  kind?: 'Site';
  spec: {
    /** Unique in the namespace: claimed in the `site-hostnames` ConfigMap while the Site exists. */
    hostname: string;
    /** The page to serve. */
    content: string;
  };
  status?: { conditions?: Condition[] };
}

/** The CRD that serves Sites, with a status subresource (conditions are written through it). */
export const siteCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `sites.${SITE_GROUP}` },
  spec: {
    group: SITE_GROUP,
    scope: 'Namespaced',
    names: { plural: 'sites', singular: 'site', kind: 'Site' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['hostname', 'content'],
                properties: { hostname: { type: 'string' }, content: { type: 'string' } },
              },
              status: {
                type: 'object',
                properties: {
                  conditions: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
                      properties: {
                        type: { type: 'string' },
                        status: { type: 'string' },
                        reason: { type: 'string' },
                        message: { type: 'string' },
                        lastTransitionTime: { type: 'string' },
                        observedGeneration: { type: 'integer' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

/** A Site, for seeds and tests. */
export function site(namespace: string, name: string, hostname: string, content = `<h1>${name}</h1>`): Site {
  return {
    apiVersion: 'example.kates.dev/v1',
    kind: 'Site',
    metadata: { name, namespace },
    spec: { hostname, content },
  };
}
