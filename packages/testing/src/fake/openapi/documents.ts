import { createHash } from 'node:crypto';
import { clone, type JsonObject } from '../json.js';
import type { ResourceRegistry, ServedResource } from '../registry.js';
import { BuiltinSchemas, type Dialect } from './builtin-schemas.js';
import { DELETE_OPTIONS, PATCH_SCHEMA, resourcePaths, STATUS } from './operations.js';

/**
 * The OpenAPI documents kubectl downloads: `/openapi/v3` (an index of group versions, each with a
 * hash), `/openapi/v3/apis/GROUP/VERSION` (paths and schemas of one group version) and
 * `/openapi/v2` (one Swagger document of everything). Built from what the fake serves: client-node's
 * models for built-in kinds, each CRD version's `openAPIV3Schema` for custom resources. A document
 * is rebuilt when the resources of its group version change (a CRD added, changed or removed).
 */

const STANDARD = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

/** `kubectl.kates.dev`, v1, Route → `dev.kates.kubectl.v1.Route`, as the apiserver names CRD schemas. */
function customName(r: ServedResource): string {
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
}

/** A custom resource's schema: its `openAPIV3Schema` with the standard apiVersion, kind and metadata. */
function customSchema(r: ServedResource, schemas: BuiltinSchemas, dialect: Dialect): JsonObject {
  const own = r.schema
    ? (clone(r.schema) as JsonObject)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const meta = schemas.shared('V1ObjectMeta');
  const metaRef = { $ref: dialect === 'v3' ? `#/components/schemas/${meta}` : `#/definitions/${meta}` };
  own.properties = {
    ...(own.properties as JsonObject | undefined),
    apiVersion: { description: STANDARD.apiVersion, type: 'string' },
    kind: { description: STANDARD.kind, type: 'string' },
    metadata:
      dialect === 'v3'
        ? { allOf: [metaRef], description: STANDARD.metadata }
        : { ...metaRef, description: STANDARD.metadata },
  };
  own.type ??= 'object';
  own['x-kubernetes-group-version-kind'] = [{ group: r.group, kind: r.kind, version: r.version }];
  return own;
}

/** The schemas and paths of some resources, in one dialect. */
function assemble(resources: readonly ServedResource[], dialect: Dialect) {
  const schemas = new BuiltinSchemas(dialect);
  const paths: Record<string, JsonObject> = {};
  for (const r of resources) {
    const name = r.custom
      ? customName(r)
      : r.model
        ? schemas.addKind({ model: r.model, group: r.group, version: r.version, kind: r.kind })
        : undefined;
    if (!name) continue;
    if (r.custom) schemas.schemas[name] = customSchema(r, schemas, dialect);
    if (r.subresources.includes('scale'))
      schemas.addKind({ model: 'V1Scale', group: 'autoscaling', version: 'v1', kind: 'Scale' });
    Object.assign(paths, resourcePaths(dialect, r, name));
  }
  schemas.shared('V1DeleteOptions');
  schemas.shared('V1Status');
  schemas.schemas[PATCH_SCHEMA] = {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  };
  // Named as the operations refer to them, whatever names the models got.
  schemas.schemas[DELETE_OPTIONS] ??= { type: 'object' };
  schemas.schemas[STATUS] ??= { type: 'object' };
  return { paths, schemas: schemas.schemas };
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The fake's OpenAPI documents, rebuilt only when the resources behind them change. */
export class OpenApiDocuments {
  private readonly v3 = new Map<
    string,
    { resources: readonly ServedResource[]; json: string; hash: string }
  >();
  private v2: { resources: readonly ServedResource[]; json: string } | undefined;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly release: string,
  ) {}

  private groupVersions(): [string, string][] {
    return ['', ...this.registry.groups()].flatMap((g) =>
      this.registry.versionsOf(g).map((v): [string, string] => [g, v]),
    );
  }

  /** `GET /openapi/v3/<group-version path>` as JSON, or undefined when nothing is served there. */
  v3Document(path: string): { json: string; hash: string } | undefined {
    const gv = this.groupVersions().find(([g, v]) => gvPath(g, v) === path);
    if (!gv) return undefined;
    const resources = this.registry.resourcesOf(gv[0], gv[1]);
    const cached = this.v3.get(path);
    if (cached && sameResources(cached.resources, resources)) return cached;
    const { paths, schemas } = assemble(resources, 'v3');
    const json = JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: this.release },
      paths,
      components: { schemas },
    });
    const entry = { resources, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
    this.v3.set(path, entry);
    return entry;
  }

  /** `GET /openapi/v3`: every served group version and where its document is. */
  v3Index(): JsonObject {
    const paths: Record<string, JsonObject> = {};
    for (const [g, v] of this.groupVersions()) {
      const path = gvPath(g, v);
      const doc = this.v3Document(path);
      if (doc) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
    }
    return { paths };
  }

  /** `GET /openapi/v2` as JSON: one Swagger 2.0 document of every served resource. */
  v2Document(): string {
    const resources = this.groupVersions().flatMap(([g, v]) => this.registry.resourcesOf(g, v));
    if (this.v2 && sameResources(this.v2.resources, resources)) return this.v2.json;
    const { paths, schemas } = assemble(resources, 'v2');
    const json = JSON.stringify({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: this.release },
      paths,
      definitions: schemas,
    });
    this.v2 = { resources, json };
    return json;
  }
}

function sameResources(a: readonly ServedResource[], b: readonly ServedResource[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

/**
 * Whether an Accept header takes the JSON form of an OpenAPI document. kubectl asks for
 * `/openapi/v2` in its protobuf form only (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`),
 * which the fake does not encode; it answers 406 to that, and kubectl, which reads OpenAPI v3
 * first, needs v2 only as a fallback.
 */
export function acceptsJsonDocument(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const type = range.split(';')[0]?.trim().toLowerCase();
    return type === 'application/json' || type === '*/*' || type === 'application/*';
  });
}
