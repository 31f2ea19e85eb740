import { apiVersionOf } from '@kates/core';
import type { JsonObject } from '../json.js';
import type { ServedResource } from '../registry.js';
import type { Dialect } from './builtin-schemas.js';

/**
 * The paths and operations of a served resource, as the apiserver publishes them: kubectl reads
 * `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter of an operation to
 * decide whether the server validates fields itself, and the PATCH body's media types to decide
 * between a strategic merge patch (built-in kinds) and a JSON merge patch (custom resources).
 */

export const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

const QUERY: Record<string, string> = {
  dryRun:
    'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  fieldManager:
    'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
  fieldValidation:
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (the default) - Strict.',
  force:
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
  gracePeriodSeconds: 'The duration in seconds before the object should be deleted.',
  propagationPolicy:
    "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'.",
  labelSelector:
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  fieldSelector:
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  limit: 'limit is a maximum number of responses to return for a list call.',
  continue: 'The continue option should be set when retrieving more results from the server.',
  resourceVersion:
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  resourceVersionMatch: 'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  watch:
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  allowWatchBookmarks: 'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  sendInitialEvents:
    'sendInitialEvents=true may be set together with watch=true to get the initial state first.',
  timeoutSeconds: 'Timeout for the list/watch call.',
};
const BOOLEAN_QUERY = new Set(['force', 'watch', 'allowWatchBookmarks', 'sendInitialEvents']);
const INTEGER_QUERY = new Set(['gracePeriodSeconds', 'limit', 'timeoutSeconds']);

const WRITE = ['dryRun', 'fieldManager', 'fieldValidation'];
const LIST = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
];

const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

interface Operation {
  readonly method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  readonly action: string;
  readonly verb: string;
  readonly query: readonly string[];
  /** Definition name of the request body, if any. */
  readonly body?: string;
  /** Definition name of the answer. */
  readonly answer: string;
  readonly gvk: JsonObject;
  readonly patchTypes?: readonly string[];
}

function param(dialect: Dialect, name: string, where: 'query' | 'path', description: string): JsonObject {
  const type = BOOLEAN_QUERY.has(name) ? 'boolean' : INTEGER_QUERY.has(name) ? 'integer' : 'string';
  const shape = { type, uniqueItems: true };
  return dialect === 'v3'
    ? { description, in: where, name, ...(where === 'path' ? { required: true } : {}), schema: shape }
    : { description, in: where, name, ...(where === 'path' ? { required: true } : {}), ...shape };
}

function ref(dialect: Dialect, name: string): JsonObject {
  return { $ref: dialect === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}` };
}

function operationId(op: Operation, r: ServedResource, subresource: string | undefined): string {
  const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const group = r.group
    ? r.group
        .split('.')
        .filter((p) => !['k8s', 'io'].includes(p))
        .map(upper)
        .join('')
    : 'Core';
  const scope = r.namespaced ? 'Namespaced' : '';
  const tail = subresource ? upper(subresource) : '';
  return `${op.verb}${group}${upper(r.version)}${scope}${r.kind}${tail}`;
}

function render(dialect: Dialect, op: Operation, id: string): JsonObject {
  const out: JsonObject = {
    description: `${op.action} ${op.gvk.kind}`,
    operationId: id,
    parameters: op.query.map((q) => param(dialect, q, 'query', QUERY[q] ?? q)),
  };
  if (op.body) {
    const schema = ref(dialect, op.body);
    const types = op.patchTypes ?? ['application/json'];
    if (dialect === 'v3')
      out.requestBody = {
        content: Object.fromEntries(types.map((t) => [t, { schema }])),
        required: op.method !== 'delete',
      };
    else {
      (out.parameters as JsonObject[]).push({
        in: 'body',
        name: 'body',
        required: op.method !== 'delete',
        schema,
      });
      if (op.patchTypes) out.consumes = [...op.patchTypes];
    }
  }
  const answer = ref(dialect, op.answer);
  const ok = (description: string): JsonObject =>
    dialect === 'v3'
      ? { content: { 'application/json': { schema: answer } }, description }
      : { description, schema: answer };
  out.responses =
    op.method === 'post'
      ? { '200': ok('OK'), '201': ok('Created'), '202': ok('Accepted') }
      : { '200': ok('OK') };
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

/**
 * The `paths` entries of one served resource: its collection, its objects and its status and
 * scale subresources. `schemaName` is the definition of its kind; custom resources get no
 * strategic merge patch, as on the apiserver.
 */
export function resourcePaths(
  dialect: Dialect,
  r: ServedResource,
  schemaName: string,
): Record<string, JsonObject> {
  const gvk = { group: r.group, kind: r.kind, version: r.version };
  const prefix = `/${r.group ? 'apis' : 'api'}/${apiVersionOf(r)}`;
  const collection = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const patchTypes = r.custom ? PATCH_TYPES.filter((t) => !t.includes('strategic')) : PATCH_TYPES;
  const paths: Record<string, JsonObject> = {};
  const pathParams = (named: boolean): JsonObject[] => [
    ...(named ? [param(dialect, 'name', 'path', `name of the ${r.kind}`)] : []),
    ...(r.namespaced
      ? [param(dialect, 'namespace', 'path', 'object name and auth scope, such as for teams and projects')]
      : []),
  ];
  const add = (path: string, ops: Operation[], named: boolean, subresource?: string) => {
    const entry: JsonObject = { parameters: pathParams(named) };
    for (const op of ops) {
      if (!r.verbs.includes(op.action === 'post' ? 'create' : op.action === 'put' ? 'update' : op.action))
        continue;
      entry[op.method] = render(dialect, op, operationId(op, r, subresource));
    }
    paths[path] = entry;
  };
  add(
    collection,
    [
      { method: 'get', action: 'list', verb: 'list', query: LIST, answer: schemaName, gvk },
      {
        method: 'post',
        action: 'post',
        verb: 'create',
        query: WRITE,
        body: schemaName,
        answer: schemaName,
        gvk,
      },
      {
        method: 'delete',
        action: 'deletecollection',
        verb: 'deleteCollection',
        query: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy', ...LIST.filter((q) => q !== 'watch')],
        body: DELETE_OPTIONS,
        answer: STATUS,
        gvk,
      },
    ],
    false,
  );
  const object = `${collection}/{name}`;
  const itemOps = (answer: string, kindGvk: JsonObject): Operation[] => [
    { method: 'get', action: 'get', verb: 'read', query: [], answer, gvk: kindGvk },
    { method: 'put', action: 'put', verb: 'replace', query: WRITE, body: answer, answer, gvk: kindGvk },
    {
      method: 'patch',
      action: 'patch',
      verb: 'patch',
      query: [...WRITE, 'force'],
      body: PATCH_SCHEMA,
      answer,
      gvk: kindGvk,
      patchTypes,
    },
  ];
  add(
    object,
    [
      ...itemOps(schemaName, gvk),
      {
        method: 'delete',
        action: 'delete',
        verb: 'delete',
        query: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'],
        body: DELETE_OPTIONS,
        answer: STATUS,
        gvk,
      },
    ],
    true,
  );
  for (const sub of r.subresources) {
    if (sub === 'status') add(`${object}/status`, itemOps(schemaName, gvk), true, 'status');
    if (sub === 'scale')
      add(
        `${object}/scale`,
        itemOps('io.k8s.api.autoscaling.v1.Scale', { group: 'autoscaling', kind: 'Scale', version: 'v1' }),
        true,
        'scale',
      );
  }
  return paths;
}
