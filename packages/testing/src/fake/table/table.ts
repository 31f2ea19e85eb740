import type { KubernetesObject } from '@kates/core';
import { isObject, type JsonObject } from '../json.js';
import { modelDoc } from '../openapi/model-docs.js';
import type { ServedResource } from '../registry.js';
import { errors } from '../status.js';
import { since } from './duration.js';
import { findFirst } from './jsonpath.js';
import { type Column, DEFAULT_PRINTER, PRINTERS, type Printer } from './printers.js';

/**
 * `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`: what `kubectl get` asks for. The
 * apiserver answers a `Table` whose rows carry the cells of the kind's printer (printers.ts) or,
 * for a custom resource, of its CRD's `additionalPrinterColumns` (a Name column first, and an Age
 * column when the CRD declares none), and the object as `?includeObject=` says: `Metadata` (the
 * default, a PartialObjectMetadata), `Object` or `None`.
 */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A Table conversion of one request: its printer resolved, its options read. */
export interface TableConversion {
  readonly as: 'Table';
  /** `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`. */
  readonly apiVersion: string;
  readonly printer: Printer;
  readonly include: IncludeObject;
  /** The time ages are computed at (the request's). */
  readonly now: number;
}

/** An `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
  readonly jsonPath: string;
}

const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

function cell(type: string, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      // kubectl's JSONPath printer writes what is not a string as JSON (Go's: map keys sorted).
      return typeof value === 'string' ? value : sortedJson(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string'
        ? Number.isNaN(Date.parse(value))
          ? '<invalid>'
          : since(value, now)
        : null;
  }
  return null;
}

/** The printer of a custom resource: Name, then its CRD's printer columns (or Age). */
function customPrinter(columns: readonly PrinterColumn[]): Printer {
  const shown = columns.length > 0 ? columns : [AGE_COLUMN];
  return {
    columns: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      ...shown.map(
        (c): Column => ({
          name: c.name,
          type: c.type as Column['type'],
          format: c.format ?? '',
          priority: c.priority ?? 0,
          ...(c === AGE_COLUMN
            ? {}
            : {
                description:
                  c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
              }),
        }),
      ),
    ],
    cells: (obj, now) => [
      obj.metadata?.name,
      ...shown.map((c) => cell(c.type, findFirst(obj, c.jsonPath), now)),
    ],
  };
}

/** The printer the apiserver uses for `r`. */
export function printerOf(r: ServedResource): Printer {
  if (r.custom) return customPrinter(r.printerColumns ?? []);
  return PRINTERS[r.storageKey] ?? DEFAULT_PRINTER;
}

/** `?includeObject=`; an unknown value answers 400 as the apiserver's decoder does. */
export function includeObjectOf(params: URLSearchParams): IncludeObject {
  const value = params.get('includeObject') ?? '';
  if (value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw errors.badRequest(`unrecognized includeObject value: "${value}"`);
}

const META_DOC = () => modelDoc('V1ObjectMeta')?.fields;

function describe(c: Column): string {
  if (c.description !== undefined) return c.description;
  if (c.name === 'Name') return META_DOC()?.get('name')?.description ?? '';
  if (c.name === 'Age' || c.name === 'Created At')
    return META_DOC()?.get('creationTimestamp')?.description ?? '';
  return '';
}

/** `{"kind":"Table",...,"rows":[`: the head of a Table answer, rows to follow, closed by `]}`. */
export function tableHead(t: TableConversion, metadata: JsonObject): string {
  const columns = t.printer.columns.map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format,
    description: describe(c),
    priority: c.priority,
  }));
  return `{"kind":"Table","apiVersion":"${t.apiVersion}","metadata":${JSON.stringify(metadata)},"columnDefinitions":${JSON.stringify(columns)},"rows":[`;
}

/** One row of a Table answer, as JSON. */
export function tableRow(t: TableConversion, obj: KubernetesObject): string {
  const object =
    t.include === 'None'
      ? null
      : t.include === 'Object'
        ? obj
        : { kind: 'PartialObjectMetadata', apiVersion: t.apiVersion, metadata: obj.metadata };
  return JSON.stringify({ cells: t.printer.cells(obj, t.now), object });
}

/** A Table of one object (a GET). */
export function tableOfObject(t: TableConversion, obj: KubernetesObject): string {
  const rv = obj.metadata?.resourceVersion;
  return `${tableHead(t, rv ? { resourceVersion: rv } : {})}${tableRow(t, obj)}]}`;
}
