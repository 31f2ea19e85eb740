/**
 * `node --expose-gc bench/dist/browser-scale/store-heap.js KUBECONFIG NAMESPACE VARIANT`: one
 * kates client in a fresh process watches the pods of NAMESPACE in one form, and prints the heap
 * its store retains (after full collections, less the heap before the watch) as JSON on stdout.
 */

import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type ClientOptions,
  createClient,
  dropManagedFields,
  keepFields,
  type ObjectTransform,
} from '@kates/core';
import { settledHeap } from '../stats.js';

/**
 * The forms compared: whole objects; whole without managedFields (`dropManagedFields`); the
 * dashboard's pod columns (`keepFields`); metadata only as the API server sends it (managedFields
 * kept, as by default); metadata only without managedFields (`dropManagedFields`). And
 * `full-projected-delete`: managedFields dropped with `delete`, as `dropManagedFields` did before
 * it rebuilt `metadata`, to compare the two in one run.
 */
export const HEAP_VARIANTS = [
  'full',
  'full-projected',
  'full-projected-delete',
  'list-view',
  'metadata-only',
  'metadata-projected',
] as const;
export type HeapVariant = (typeof HEAP_VARIANTS)[number];

/** What one variant retained. */
export interface HeapResult {
  readonly variant: HeapVariant;
  readonly objects: number;
  readonly heapMB: number;
}

/** The dashboard's pods table: what `list-view` keeps besides metadata. */
export const POD_LIST_FIELDS = [
  'spec.nodeName',
  'spec.containers.name',
  'status.phase',
  'status.containerStatuses.ready',
  'status.containerStatuses.restartCount',
];

/** `dropManagedFields` as it was: `delete` leaves each `metadata` a dictionary-mode object. */
const deleteManagedFields: ObjectTransform = (obj) => {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
};

const TRANSFORMS: Partial<Record<HeapVariant, ObjectTransform>> = {
  'full-projected': dropManagedFields,
  'full-projected-delete': deleteManagedFields,
  'list-view': keepFields(POD_LIST_FIELDS),
  'metadata-projected': dropManagedFields,
};

async function firstName(client: ReturnType<typeof createClient>, namespace: string): Promise<string> {
  for await (const page of client.listPages('pods', { namespace, limit: 1 }))
    return page.items[0]?.metadata?.name ?? '';
  return '';
}

/** The store heap of one form, measured by this module in a fresh process (production settings). */
export function storeHeap(kubeconfig: string, namespace: string, variant: string): Promise<HeapResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, kubeconfig, namespace, variant], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as HeapResult)
        : reject(new Error(`store-heap ${variant}: ${code}`)),
    );
  });
}

async function main(kubeconfig: string, namespace: string, variant: HeapVariant): Promise<void> {
  const transform = TRANSFORMS[variant];
  const reflector: ClientOptions['reflector'] = transform ? { transform } : {};
  const client = createClient({ kubeconfig, namespace, reflector });
  // The code paths and caches of a watch warmed up on one pod before the baseline, so that the
  // difference is the objects.
  const warm = client.watch({
    name: 'one',
    kind: 'pods',
    namespace,
    fieldSelector: `metadata.name=${await firstName(client, namespace)}`,
    ...(variant.startsWith('metadata') ? { metadataOnly: true } : {}),
  });
  await warm.changed();
  warm.close();
  await new Promise((r) => setTimeout(r, 500));
  settledHeap();
  const before = settledHeap();
  const acc = client.watch({
    name: 'pods',
    kind: 'pods',
    namespace,
    ...(variant.startsWith('metadata') ? { metadataOnly: true } : {}),
  });
  await acc.changed();
  const snapshot = acc.getSnapshot();
  const after = settledHeap();
  const result: HeapResult = {
    variant,
    objects: snapshot.pods?.length ?? 0,
    heapMB: (after - before) / 2 ** 20,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  acc.close();
  client.transport.close?.();
  process.exit(0);
}

const [kubeconfig, namespace, variant] = process.argv.slice(2);
// Run as a script only: main.ts imports this module for its variants.
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  kubeconfig &&
  namespace &&
  variant
) {
  main(kubeconfig, namespace, variant as HeapVariant).catch((e: unknown) => {
    process.stderr.write(`store-heap: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  });
}
