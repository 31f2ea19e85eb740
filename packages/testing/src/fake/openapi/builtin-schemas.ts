import * as models from '@kubernetes/client-node';
import type { JsonObject } from '../json.js';
import { modelDoc } from './model-docs.js';

/**
 * OpenAPI schemas of built-in kinds, built from @kubernetes/client-node's models (types from
 * `attributeTypeMap`, descriptions and required fields from their declarations, see
 * model-docs.ts), named as the apiserver names them (`io.k8s.api.apps.v1.DeploymentSpec`: kubectl
 * explain shows the last part). v2 and v3 differ only in where a `$ref` points and in how a
 * described reference is written.
 */
export type Dialect = 'v2' | 'v3';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

/** A built-in kind whose schema is wanted, with the group that places its types. */
export interface KindModel {
  readonly model: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const META = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ManagedFieldsEntry',
  'OwnerReference',
  'Status',
  'StatusDetails',
  'StatusCause',
  'Condition',
  'DeleteOptions',
  'Preconditions',
]);

const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** `V1DeploymentSpec` → `DeploymentSpec`, `CoreV1Event` → `Event`: the Go type's name. */
export function goTypeName(model: string): string {
  return model.replace(/^(?:[A-Z][a-z]+)*?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

/** The Go package path of a group's types, as definition names spell it. */
function packageOf(group: string, version: string): string {
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  const pkg = group === '' ? 'core' : (group.split('.')[0] as string);
  return `io.k8s.api.${pkg}.${version}`;
}

function attributes(model: string): readonly Attribute[] | undefined {
  return (models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>)[model]
    ?.attributeTypeMap;
}

// How kubectl's strategic merge patch merges the lists users edit most (see ../list-types.ts).
function listExtensions(model: string, field: string): JsonObject {
  const byKey = (key: string, strategy = 'merge'): JsonObject => ({
    'x-kubernetes-list-map-keys': [key],
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-patch-strategy': strategy,
  });
  if (['containers', 'initContainers', 'ephemeralContainers', 'env', 'imagePullSecrets'].includes(field))
    return byKey('name');
  if (field === 'volumes') return byKey('name', 'merge,retainKeys');
  if (field === 'volumeMounts') return byKey('mountPath');
  if (field === 'conditions') return byKey('type');
  if (field === 'ports' && model === 'V1Container') return byKey('containerPort');
  if (field === 'ports' && model === 'V1ServiceSpec') return byKey('port');
  if (field === 'ownerReferences') return byKey('uid');
  if (field === 'finalizers' && model === 'V1ObjectMeta')
    return { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
  return {};
}

/**
 * Builds the schemas of `kinds` and every model they reach, for one document. Definition names
 * follow the kind's group for its own types (`DeploymentSpec` in apps) and core/v1 or meta/v1 for
 * the shared ones, as the apiserver's are.
 */
export class BuiltinSchemas {
  readonly schemas: Record<string, JsonObject> = {};
  private readonly names = new Map<string, string>();

  constructor(private readonly dialect: Dialect) {}

  private ref(name: string): string {
    return this.dialect === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`;
  }

  /** Adds a top-level kind (and what it reaches), with its `x-kubernetes-group-version-kind`. */
  addKind(k: KindModel): string | undefined {
    if (!attributes(k.model)) return undefined;
    const name = `${packageOf(k.group, k.version)}.${k.kind}`;
    this.names.set(k.model, name);
    this.addModel(k.model, k);
    const schema = this.schemas[name] as JsonObject;
    const properties = schema.properties as Record<string, JsonObject>;
    // The generator drops the description of a field typed by a model; every kind's metadata has this one.
    if (properties.metadata && !properties.metadata.description)
      properties.metadata = this.described(properties.metadata, METADATA_DESCRIPTION, {});
    const gvks = (schema['x-kubernetes-group-version-kind'] as JsonObject[] | undefined) ?? [];
    if (!gvks.some((g) => g.group === k.group && g.version === k.version && g.kind === k.kind))
      schema['x-kubernetes-group-version-kind'] = [
        ...gvks,
        { group: k.group, kind: k.kind, version: k.version },
      ];
    return name;
  }

  /** Adds a shared model (`V1ObjectMeta`, `V1Status`) and returns its definition name. */
  shared(model: string): string {
    return this.addModel(model, { model, group: '', version: 'v1', kind: '' });
  }

  private nameOf(model: string, owner: KindModel): string {
    let name = this.names.get(model);
    if (!name) {
      const type = goTypeName(model);
      if (META.has(type)) name = `io.k8s.apimachinery.pkg.apis.meta.v1.${type}`;
      else if ((owner.kind && type.startsWith(owner.kind)) || owner.group === 'apiextensions.k8s.io')
        name = `${packageOf(owner.group, owner.version)}.${type}`;
      else name = `io.k8s.api.core.v1.${type}`;
      this.names.set(model, name);
    }
    return name;
  }

  private addModel(model: string, owner: KindModel): string {
    const name = this.nameOf(model, owner);
    if (this.schemas[name]) return name;
    const schema: JsonObject = { type: 'object' };
    this.schemas[name] = schema;
    const doc = modelDoc(model);
    if (doc?.description) schema.description = doc.description;
    const properties: Record<string, JsonObject> = {};
    const required: string[] = [];
    for (const a of attributes(model) ?? []) {
      const field = doc?.fields.get(a.baseName);
      const type = this.typeSchema(a.type, a.format, owner);
      properties[a.baseName] = this.described(type, field?.description, {
        ...(a.type.startsWith('Array<') ? listExtensions(model, a.baseName) : {}),
      });
      if (field?.required) required.push(a.baseName);
    }
    schema.properties = properties;
    if (required.length > 0) schema.required = required;
    return name;
  }

  /** A property: its type, its description, its extensions; a described `$ref` wrapped as the apiserver does. */
  private described(type: JsonObject, description: string | undefined, extensions: JsonObject): JsonObject {
    if (typeof type.$ref === 'string' && (description || Object.keys(extensions).length > 0)) {
      const wrapped = this.dialect === 'v3' ? { allOf: [type] } : { ...type };
      return { ...wrapped, ...(description ? { description } : {}), ...extensions };
    }
    return { ...type, ...(description ? { description } : {}), ...extensions };
  }

  private typeSchema(type: string, format: string, owner: KindModel): JsonObject {
    const list = /^Array<(.+)>$/.exec(type);
    if (list) return { type: 'array', items: this.typeSchema(list[1] as string, '', owner) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: this.typeSchema(map[1] as string, '', owner) };
    switch (type) {
      case 'string':
        return format ? { type: 'string', format } : { type: 'string' };
      case 'Date':
        return { type: 'string', format: 'date-time' };
      case 'number':
        return format === 'double' || format === 'float'
          ? { type: 'number', format }
          : { type: 'integer', format: format || 'int64' };
      case 'boolean':
        return { type: 'boolean' };
      case 'IntOrString':
        this.schemas[INT_OR_STRING] ??= {
          type: 'string',
          format: 'int-or-string',
          description:
            'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
        };
        return { $ref: this.ref(INT_OR_STRING) };
      case 'any':
      case 'object':
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (attributes(type)) return { $ref: this.ref(this.addModel(type, owner)) };
    return {};
  }
}
