import type { KubernetesObject, Status } from '@kates/core';
import { acceptsJson, conversionOf, type MediaRange, parseAccept } from '@kates/core/internal';
import { PROTOBUF } from './protobuf/response.js';
import type { ServedResource } from './registry.js';
import { jsonOf } from './serialize.js';
import { ApiError } from './status.js';
import { type TableConversion, tableHead, tableOfObject, tableRow } from './table/table.js';

/**
 * Content negotiation, as the apiserver does it: the first media range of `Accept` it can serve
 * wins. A range with `as=` asks for a conversion; the fake serves the `meta.k8s.io` conversions in
 * `CONVERSIONS` and skips the others (as the apiserver skips an `as` it does not know). It serves
 * JSON, and protobuf for built-in kinds where its protobuf codec is built (protobuf/); it skips
 * YAML, which the apiserver would also serve. No range left: 406 Not Acceptable.
 *
 * Where Table (`as=Table`) joins: add it to `CONVERSIONS`, and render it where a list or object is
 * rendered (`renderListHead`, `renderObject`).
 */

/** A conversion the request asked for, or `undefined`: the object itself. */
export type Conversion =
  | {
      readonly as: 'PartialObjectMetadata' | 'PartialObjectMetadataList';
      /** `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`. */
      readonly apiVersion: string;
    }
  | TableConversion;

const CONVERSIONS = new Set<string>(['PartialObjectMetadata', 'PartialObjectMetadataList']);
const META_VERSIONS = new Set(['v1', 'v1beta1']);

function notAcceptable(message: string): ApiError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NotAcceptable',
    code: 406,
  };
  return new ApiError(406, status);
}

/**
 * The conversion `accept` asks for; throws 406 when it accepts nothing the fake serves. `table`
 * makes the Table conversion of this request (for a GET or LIST); without it, a Table range is
 * skipped as one the server cannot serve (a watch here). `protobuf` says whether protobuf ranges
 * count (see {@link answersProtobuf}, which must be asked with the same arguments).
 */
export function negotiate(
  accept: string | undefined,
  table?: (apiVersion: string) => TableConversion,
  protobuf = false,
): Conversion | undefined {
  const chosen = firstServable(accept, table !== undefined, protobuf);
  if (chosen === 'none')
    throw notAcceptable(
      'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  if (chosen?.table !== undefined && table) return table(chosen.table);
  return chosen?.conversion;
}

/**
 * Whether the answer goes out in protobuf: the first range of `accept` the fake can serve is a
 * protobuf one. `table` and `protobuf` as for {@link negotiate}; never throws (negotiate does).
 */
export function answersProtobuf(accept: string | undefined, table: boolean, protobuf: boolean): boolean {
  if (!protobuf) return false;
  const chosen = firstServable(accept, table, true);
  return chosen !== 'none' && chosen?.range.type === PROTOBUF;
}

/** A range the fake can serve: its conversion, or the `apiVersion` of the Table it asks for. */
type Servable = {
  readonly range: MediaRange;
  readonly conversion?: Conversion;
  readonly table?: string;
};

/** The first range the fake can serve, `undefined` for no `Accept` (JSON as it is), or `'none'`. */
function firstServable(
  accept: string | undefined,
  table: boolean,
  protobuf: boolean,
): Servable | undefined | 'none' {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return undefined;
  for (const range of ranges) {
    if (!acceptsJson(range) && !(protobuf && range.type === PROTOBUF)) continue;
    const conversion = conversionOf(range);
    if (!conversion) return { range };
    if (
      table &&
      conversion.as === 'Table' &&
      conversion.group === 'meta.k8s.io' &&
      META_VERSIONS.has(conversion.version)
    )
      return { range, table: `meta.k8s.io/${conversion.version}` };
    if (
      conversion.group === 'meta.k8s.io' &&
      META_VERSIONS.has(conversion.version) &&
      CONVERSIONS.has(conversion.as)
    ) {
      return {
        range,
        conversion: {
          as: conversion.as as 'PartialObjectMetadata' | 'PartialObjectMetadataList',
          apiVersion: `meta.k8s.io/${conversion.version}`,
        },
      };
    }
  }
  return 'none';
}

/** The Go type the apiserver names in its 406 messages: `*core.ConfigMap`, `*apps.DeploymentList`. */
function goType(r: ServedResource, list: boolean): string {
  if (r.custom) return `*unstructured.Unstructured${list ? 'List' : ''}`;
  const pkg = r.group === '' ? 'core' : (r.group.split('.')[0] as string);
  return `*${pkg}.${r.kind}${list ? 'List' : ''}`;
}

/** Throws the apiserver's 406 when `conversion` cannot apply to a list (`list`) or a single object. */
export function checkConversion(r: ServedResource, conversion: Conversion | undefined, list: boolean): void {
  if (!conversion) return;
  if (list && conversion.as === 'PartialObjectMetadata') {
    throw notAcceptable(
      `you requested PartialObjectMetadata, but the requested object is a list (${goType(r, true)})`,
    );
  }
  if (!list && conversion.as === 'PartialObjectMetadataList') {
    throw notAcceptable(
      `you requested PartialObjectMetadataList, but the requested object is not a list (${goType(r, false)})`,
    );
  }
}

/** `kind` and `apiVersion` of a list answer. */
export function listTypeOf(
  r: ServedResource,
  conversion: Conversion | undefined,
  apiVersion: string,
): { kind: string; apiVersion: string } {
  if (conversion) return { kind: 'PartialObjectMetadataList', apiVersion: conversion.apiVersion };
  return { kind: `${r.kind}List`, apiVersion };
}

/** The head of a list answer up to its first item: `{"kind":...,"items":[` (a Table's `"rows":[`). */
export function renderListHead(
  r: ServedResource,
  conversion: Conversion | undefined,
  apiVersion: string,
  metadata: Record<string, unknown>,
): string {
  if (conversion?.as === 'Table') return tableHead(conversion, metadata);
  const type = listTypeOf(r, conversion, apiVersion);
  return `{"kind":"${type.kind}","apiVersion":"${type.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
}

/** The answer to a GET of one object, as the request asked for it. */
export function renderGet(obj: KubernetesObject, conversion: Conversion | undefined): string {
  return conversion?.as === 'Table' ? tableOfObject(conversion, obj) : renderObject(obj, conversion);
}

/** `kind` and `apiVersion` of an object in an answer (a list item, a watch event's object, a bookmark). */
export function objectTypeOf(
  r: ServedResource,
  conversion: Conversion | undefined,
  apiVersion: string,
): { kind: string; apiVersion: string } {
  if (conversion) return { kind: 'PartialObjectMetadata', apiVersion: conversion.apiVersion };
  return { kind: r.kind, apiVersion };
}

// PartialObjectMetadata JSON per stored (frozen) object and version, computed once like jsonOf.
const partials = new Map<string, WeakMap<object, string>>();

/** The JSON of `obj` (already at the requested version) as the request asked for it. */
export function renderObject(obj: KubernetesObject, conversion: Conversion | undefined): string {
  if (!conversion) return jsonOf(obj);
  if (conversion.as === 'Table') return tableRow(conversion, obj);
  let cache = partials.get(conversion.apiVersion);
  if (!cache) {
    cache = new WeakMap();
    partials.set(conversion.apiVersion, cache);
  }
  let json = cache.get(obj);
  if (json === undefined) {
    // The apiserver keeps all of ObjectMeta, managedFields included.
    json = JSON.stringify({
      kind: 'PartialObjectMetadata',
      apiVersion: conversion.apiVersion,
      metadata: obj.metadata,
    });
    if (Object.isFrozen(obj)) cache.set(obj, json);
  }
  return json;
}
