/**
 * `node --expose-gc bench/dist/micro/drop-managed-fields.js [--n 30000] [--rounds 5]`: what
 * `dropManagedFields` costs per object and what the objects it leaves retain, with `delete` (as it
 * was) and with `metadata` rebuilt without the key (as it is), in one process, rounds alternated.
 * Objects are parsed from JSON, as a watch line or a list page gives them.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { dropManagedFields, type KubernetesObject, type ObjectTransform } from '@kates/core';
import { pod } from '../objects.js';
import { type Summary, settledHeap, summarize } from '../stats.js';

/** The transform as it was: the key deleted, which leaves `metadata` a dictionary-mode object. */
export const deleteManagedFields: ObjectTransform = (obj) => {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
};

/** The variants compared. */
export const VARIANTS: Readonly<Record<string, ObjectTransform>> = {
  delete: deleteManagedFields,
  rebuild: dropManagedFields,
};

/** One variant's cost and retained heap. */
export interface DropResult {
  readonly variant: string;
  /** The transform alone, per object, ns (median over rounds). */
  readonly perObjectNs: Summary;
  /** Heap retained by the `n` transformed objects' metadata, MB (median over rounds). */
  readonly metadataMB: Summary;
}

/** Parses `n` pods from their JSON (as a list gives them): fresh objects for each round. */
function parsed(texts: readonly string[]): KubernetesObject[] {
  return texts.map((t) => JSON.parse(t) as KubernetesObject);
}

/** Measures each variant `rounds` times over `n` pods, alternating. */
export function runDropBench(n: number, rounds: number): DropResult[] {
  const texts = Array.from({ length: n }, (_, i) => JSON.stringify(pod(i, 'bench')));
  const times = new Map<string, number[]>(Object.keys(VARIANTS).map((k) => [k, []]));
  const heaps = new Map<string, number[]>(Object.keys(VARIANTS).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, transform] of Object.entries(VARIANTS)) {
      let objects: KubernetesObject[] | undefined = parsed(texts);
      const t0 = performance.now();
      for (let i = 0; i < objects.length; i++) objects[i] = transform(objects[i] as KubernetesObject);
      const ns = ((performance.now() - t0) * 1e6) / n;
      // Retained: the metadata alone, the rest of each object let go.
      let metadata: unknown[] | undefined = objects.map((o) => o.metadata);
      objects = undefined;
      const withMeta = settledHeap();
      metadata = undefined;
      const without = settledHeap();
      times.get(name)?.push(ns);
      heaps.get(name)?.push((withMeta - without) / 2 ** 20);
      void metadata;
    }
  }
  return Object.keys(VARIANTS).map((variant) => ({
    variant,
    perObjectNs: summarize(times.get(variant) ?? []),
    metadataMB: summarize(heaps.get(variant) ?? []),
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { n: { type: 'string', default: '30000' }, rounds: { type: 'string', default: '5' } },
  });
  const results = runDropBench(Number(values.n), Number(values.rounds));
  const fmt = (s: Summary, digits: number) =>
    `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  process.stdout.write(
    `dropManagedFields over ${values.n} pods, ${values.rounds} rounds, median (min–max)\n`,
  );
  process.stdout.write('| variant | ns per object | metadata retained, MB |\n|---|---|---|\n');
  for (const r of results)
    process.stdout.write(`| ${r.variant} | ${fmt(r.perObjectNs, 0)} | ${fmt(r.metadataMB, 1)} |\n`);
}
