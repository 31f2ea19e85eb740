import { parseAllDocuments, type Tags } from 'yaml';
import type { KindTypes } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';

/**
 * A manifest that could not be read: which document, which line, and what is wrong. The message
 * never quotes the document's text, which may hold a Secret's data.
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    message: string,
    /** Position of the document in the stream, from 0 (empty documents count). */
    readonly documentIndex: number,
    /** Line of the problem, from 1. */
    readonly line: number,
    /** Column of the problem, from 1. */
    readonly column: number,
    /** The file name given in the options, if any. */
    readonly source?: string,
  ) {
    super(message);
  }
}

/** Options of {@link parseManifests}. */
export interface ParseManifestsOptions {
  /** A file name or URL, to name in error messages. */
  readonly source?: string;
}

/**
 * Parses manifests as kubectl reads them: a multi-document YAML stream (`---` separated), one JSON
 * object, or a stream of JSON objects. Empty and comment-only documents are skipped, as are `null`
 * ones; a `List` (or `PodList`, ...) is flattened into its items. Every object must have
 * `apiVersion` and `kind`. The result is plain JSON; {@link isKind} narrows it to a typed kind.
 *
 * YAML is read as YAML 1.1, as Kubernetes (go-yaml v2) reads it: `0644` is octal (420), `yes` and
 * `on` are booleans, `<<` merges; unlike YAML 1.1, dates and `1:20` stay strings, as in kubectl.
 *
 * @throws ManifestError naming the document (from 1), the line and what to fix.
 */
export function parseManifests(text: string, options: ParseManifestsOptions = {}): KubernetesObject[] {
  if (typeof text !== 'string') {
    throw new TypeError(`parseManifests: expected the text of a manifest (a string), got ${typeof text}`);
  }
  const raws: { value: unknown; index: number; offset: number }[] = [];
  const json = jsonStream(text);
  let yaml: YamlDocument[] | undefined;
  if (json) {
    try {
      json.forEach((chunk, index) => {
        raws.push({ value: parseJsonChunk(chunk, index, text, options.source), index, offset: chunk.offset });
      });
    } catch (e) {
      // Flow-style YAML (`{a: '}'}`) can look like a broken JSON stream; if it is good YAML, it is YAML.
      yaml = parseYaml(text);
      if (yaml.some((doc) => doc.error)) throw e;
      raws.length = 0;
    }
  }
  if (!json || yaml) {
    (yaml ?? parseYaml(text)).forEach((doc, index) => {
      if (doc.error) throw manifestErrorAt(doc.error, index, text, doc.error.offset, options.source);
      raws.push({ value: doc.value, index, offset: doc.offset });
    });
  }
  const objects: KubernetesObject[] = [];
  for (const { value, index, offset } of raws) {
    if (value === null || value === undefined) continue;
    const fail = (why: string) => manifestErrorAt({ message: why }, index, text, offset, options.source);
    for (const obj of flattenList(value, fail)) objects.push(obj);
  }
  return objects;
}

function manifestErrorAt(
  error: { message: string },
  index: number,
  text: string,
  offset: number,
  source?: string,
): ManifestError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const where = `${source ? `${source}: ` : ''}document ${index + 1} (line ${line}, column ${column})`;
  return new ManifestError(`${where}: ${error.message}`, index, line, column, source);
}

interface YamlDocument {
  readonly value: unknown;
  /** Where its content starts, or where its first error is. */
  readonly offset: number;
  readonly error?: { readonly message: string; readonly offset: number };
}

/** The documents of a YAML stream. Error messages are the parser's, which never quote the text. */
function parseYaml(text: string): YamlDocument[] {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: kubernetesTags,
  });
  // A stream of only comments is not an array.
  return (Array.isArray(docs) ? docs : []).map((doc) => {
    const error = doc.errors[0];
    if (error)
      return {
        value: undefined,
        offset: error.pos[0],
        error: { message: `${error.message} (YAML ${error.code})`, offset: error.pos[0] },
      };
    return {
      value: doc.toJS({ maxAliasCount: 100 }) as unknown,
      offset: doc.contents?.range[0] ?? doc.range[0],
    };
  });
}

// YAML 1.1 as go-yaml v2 reads it: no timestamps, no base-60 numbers, no !!set/!!omap/!!pairs.
function kubernetesTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'object' && t ? t : undefined;
    if (!tag) return true;
    if ('format' in tag && tag.format === 'TIME') return false;
    return !/:(timestamp|set|omap|pairs)$/.test(tag.tag);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  return Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

/** The objects of one document: itself, or the items of a list kind. */
function flattenList(value: unknown, fail: (why: string) => ManifestError): KubernetesObject[] {
  if (!isObject(value)) {
    throw fail(
      `expected a Kubernetes object (a mapping with apiVersion and kind), found ${describeValue(value)}`,
    );
  }
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    // A typed list (`PodList`) omits its items' kind and apiVersion; the list names them.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return value.items.map((item, i) => {
      if (!isObject(item)) throw fail(`item ${i} of the ${kind} is ${describeValue(item)}, not an object`);
      const filled =
        itemKind && item.kind === undefined
          ? { apiVersion: value.apiVersion, kind: itemKind, ...item }
          : item;
      return checked(filled, (why) => fail(`item ${i} of the ${kind}: ${why}`));
    });
  }
  return [checked(value, fail)];
}

function checked(obj: Record<string, unknown>, fail: (why: string) => ManifestError): KubernetesObject {
  const missing = ['apiVersion', 'kind'].filter((f) => typeof obj[f] !== 'string' || obj[f] === '');
  if (missing.length) {
    const name =
      isObject(obj.metadata) && typeof obj.metadata.name === 'string' ? ` "${obj.metadata.name}"` : '';
    throw fail(
      `the object${name} has no ${missing.join(' and no ')}; every manifest needs both ` +
        '(for example apiVersion: apps/v1 and kind: Deployment)',
    );
  }
  if (obj.metadata !== undefined && !isObject(obj.metadata)) {
    throw fail(`metadata of ${String(obj.kind)} must be a mapping, found ${describeValue(obj.metadata)}`);
  }
  return obj as KubernetesObject;
}

interface JsonChunk {
  readonly text: string;
  readonly offset: number;
}

/**
 * Splits a stream of JSON values (`{...}{...}` or one per line, as `kubectl get -o json` loops
 * print) at their top-level boundaries. Undefined when the text is not such a stream: it is YAML.
 */
function jsonStream(text: string): JsonChunk[] | undefined {
  const chunks: JsonChunk[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 0) {
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (c !== '{' && c !== '[') return undefined;
      start = i;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) chunks.push({ text: text.slice(start, i + 1), offset: start });
    }
  }
  return depth === 0 && !inString && chunks.length ? chunks : undefined;
}

/**
 * A JSON document; if JSON.parse refuses it, the YAML parser reads it (JSON is YAML), either to
 * accept a flow-style YAML mapping or to tell where the error is. JSON.parse's own messages quote
 * the text, so they are never shown.
 */
function parseJsonChunk(chunk: JsonChunk, index: number, text: string, source?: string): unknown {
  try {
    return JSON.parse(chunk.text);
  } catch {
    const [doc, extra] = parseYaml(chunk.text);
    const error =
      doc?.error ?? (extra ? { message: 'more than one document', offset: extra.offset } : undefined);
    if (error)
      throw manifestErrorAt(
        { message: `invalid JSON: ${error.message}` },
        index,
        text,
        chunk.offset + error.offset,
        source,
      );
    return doc?.value;
  }
}

/** The kinds that have a typed alias (`Pod`, `Deployment`, ...), by their own name. */
export type KnownKind = {
  [K in keyof KindTypes]: K extends NonNullable<KindTypes[K]['kind']> ? K : never;
}[keyof KindTypes];

// The apiVersion of each typed alias; the type makes it follow model/kinds.ts exactly.
const API_VERSIONS: { readonly [K in KnownKind]: NonNullable<KindTypes[K]['apiVersion']> } = {
  Pod: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Namespace: 'v1',
  Node: 'v1',
  Event: 'v1',
  ServiceAccount: 'v1',
  Endpoints: 'v1',
  PersistentVolumeClaim: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  Lease: 'coordination.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
};

/**
 * Whether an object is of a typed kind, by its `kind` and `apiVersion` (`Deployment` in
 * `apps/v1`), narrowing it to that type: `parseManifests(text).filter((o) => isKind(o, 'Deployment'))`.
 */
export function isKind<K extends KnownKind>(obj: KubernetesObject | undefined, kind: K): obj is KindTypes[K] {
  return obj?.kind === kind && obj.apiVersion === API_VERSIONS[kind];
}
