import type { ContractHttp } from '../http.js';
import { CRDS, established } from './crd.js';

/** A CRD of its own for one test: a schema with descriptions and printer columns, as kubectl users write them. */
export function crdManifest(suffix: string) {
  const group = `${suffix}.kates.example`;
  const plural = 'gadgets';
  const kind = 'Gadget';
  const name = `${plural}.${group}`;
  const body = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: 'gadget', kind },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          additionalPrinterColumns: [
            { name: 'Color', type: 'string', jsonPath: '.spec.color' },
            { name: 'Size', type: 'integer', jsonPath: '.spec.size', description: 'How big.' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Labels', type: 'string', jsonPath: '.metadata.labels', priority: 1 },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A gadget.',
              properties: {
                spec: {
                  type: 'object',
                  description: 'What the gadget is.',
                  properties: {
                    color: { type: 'string', description: 'Its color.' },
                    size: { type: 'integer', description: 'How big.' },
                  },
                },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
  // The apiserver names a CRD's schema by its reversed group: `example.kates.x.v1.Gadget`.
  const schemaName = `${group.split('.').reverse().join('.')}.v1.${kind}`;
  return { body, name, group, kind, plural, schemaName };
}

export type CrdFixture = ReturnType<typeof crdManifest>;

/** Waits until the CRD is Established (and so served). */
export async function waitForCrd(http: ContractHttp, crd: CrdFixture): Promise<void> {
  await established(http, crd.name);
}

export { CRDS };
