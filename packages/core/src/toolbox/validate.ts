import { Ajv, type ValidateFunction } from 'ajv';
import { Discovery } from '../discovery/discovery.js';
import { apiErrorFromResponse } from '../errors/api-error.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import { type KubernetesObject, nameOf } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import { findDuplicates, pruneNulls, type StructuralSchema, toJsonSchema } from './crd-schema.js';
import { dedupeFieldErrors, type FieldError, show, toFieldError } from './field-errors.js';
import { OPENAPI_FORMATS } from './openapi-formats.js';

/** What {@link Validator.validate} found. */
export interface ValidationResult {
  /** No field errors. Also true for kinds that are not custom resources: nothing to check. */
  readonly valid: boolean;
  readonly errors: readonly FieldError[];
  /** The CRD whose schema was used (`widgets.example.com`); undefined when the kind has none. */
  readonly crd?: string;
  /** Where that CRD came from: given at construction, or read from the API server. */
  readonly schemaSource?: 'static' | 'server';
  /** Paths of rules not checked here (CEL `x-kubernetes-validations`), which the API server checks. */
  readonly unchecked: readonly string[];
}

/** Options of one validation. */
export interface ValidateOptions {
  /**
   * `status` to check the object as `updateStatus` writes it. By default, when the CRD has the
   * status subresource, `status` is not checked: a write of the main resource ignores it.
   */
  readonly subresource?: 'status';
}

/** Options of a {@link Validator}. */
export interface ValidatorOptions {
  /** Reads CRDs from the API server: a client, or a transport (and optionally its discovery). */
  readonly client?: { readonly transport: Transport; readonly discovery?: Discovery };
  /** CRDs to use instead of the server's (`apiextensions.k8s.io/v1` or `v1beta1`), such as parsed manifests. */
  readonly crds?: readonly KubernetesObject[];
  /**
   * `error` (default) reports fields the schema does not declare, as `kubectl apply` (strict field
   * validation) does; `ignore` lets them pass, as the server drops them when validation is off.
   */
  readonly unknownFields?: 'error' | 'ignore';
  /** How long a CRD read from the server is trusted, in ms (default 60 000). */
  readonly maxAgeMs?: number;
}

/** An object that does not match its CRD's schema; thrown by {@link Validator.assertValid}. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
    readonly crd: string,
    readonly kind: string,
    readonly objectName: string,
    readonly namespace: string | undefined,
  ) {
    super(message);
  }
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: StructuralSchema };
  subresources?: { status?: unknown };
}

interface Crd extends KubernetesObject {
  spec: {
    group: string;
    names: { kind: string; plural: string };
    versions?: CrdVersion[];
    version?: string;
    validation?: { openAPIV3Schema?: StructuralSchema };
    subresources?: { status?: unknown };
  };
}

interface Compiled {
  readonly resourceVersion: string;
  readonly validate: ValidateFunction;
  readonly unchecked: readonly string[];
}

interface CrdLookup {
  readonly crd: Crd | undefined;
  readonly at: number;
}

// Formats the server checks with rules we do not repeat: accepted here, checked there.
const SERVER_ONLY_FORMATS = [
  'hostname',
  'email',
  'uri',
  'duration',
  'password',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'bsonobjectid',
];

/**
 * Validates custom resources against the OpenAPI v3 schema of their CRD before they are sent (Go
 * kates' `Validator`), with the API server's rules: nulls of non-nullable fields are dropped,
 * defaults applied, `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`,
 * `x-kubernetes-embedded-resource`, `nullable`, `int32`/`int64` and list `set`/`map` uniqueness
 * are honoured, and undeclared fields are refused (strict field validation). CEL rules are not
 * evaluated; the result lists where they are.
 *
 * CRDs given at construction win over the server's. Server CRDs are read once per kind (and again
 * after `maxAgeMs`); compiled schemas are cached per CRD version and resourceVersion. Kinds that
 * are not custom resources pass.
 */
export class Validator {
  private readonly ajv: Ajv;
  private readonly staticCrds = new Map<string, Crd>();
  private readonly lookups = new Map<string, Promise<CrdLookup>>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly unknownFields: boolean;
  private readonly maxAgeMs: number;
  private discovery: Discovery | undefined;

  constructor(private readonly options: ValidatorOptions = {}) {
    this.unknownFields = (options.unknownFields ?? 'error') === 'error';
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      useDefaults: true,
      logger: false,
      code: { regExp: kubernetesPattern },
    });
    for (const [name, format] of Object.entries(OPENAPI_FORMATS)) this.ajv.addFormat(name, format);
    for (const name of SERVER_ONLY_FORMATS) this.ajv.addFormat(name, true);
    for (const crd of options.crds ?? []) {
      const checked = asCrd(crd);
      this.staticCrds.set(`${checked.spec.group}/${checked.spec.names.kind}`, checked);
    }
  }

  /**
   * Checks an object against its CRD's schema.
   *
   * @throws InvalidInputError when the object has no apiVersion or kind.
   * @throws Error when its CRD cannot be read (unknown kind, RBAC), naming the kind and what to do.
   */
  async validate(obj: KubernetesObject, options: ValidateOptions = {}): Promise<ValidationResult> {
    const { group, version, kind } = typeOf(obj);
    const found = await this.crdFor(group, kind, obj);
    if (!found) return { valid: true, errors: [], unchecked: [] };
    const { crd, source } = found;
    const crdName = crd.metadata?.name ?? `${crd.spec.names.plural}.${group}`;
    const base = { crd: crdName, schemaSource: source };
    const versions =
      crd.spec.versions ?? (crd.spec.version ? [{ name: crd.spec.version, served: true }] : []);
    const entry = versions.find((v) => v.name === version && v.served !== false);
    if (!entry) {
      const served = versions.filter((v) => v.served !== false).map((v) => `"${group}/${v.name}"`);
      return {
        ...base,
        valid: false,
        unchecked: [],
        errors: [
          {
            field: 'apiVersion',
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: "${obj.apiVersion}": supported values: ${served.join(', ')}`,
          },
        ],
      };
    }
    const schema = entry.schema?.openAPIV3Schema ?? crd.spec.validation?.openAPIV3Schema;
    if (!schema) return { ...base, valid: true, errors: [], unchecked: [] };
    const compiled = this.compile(crd, source, crdName, entry.name, schema);
    const hasStatus = (entry.subresources ?? crd.spec.subresources)?.status !== undefined;
    const data = structuredClone(obj) as Record<string, unknown>;
    // With the status subresource, the server resets status on writes of the main resource.
    if (hasStatus && options.subresource !== 'status') delete data.status;
    pruneNulls(data, schema);
    const errors: FieldError[] = [];
    if (!compiled.validate(data)) {
      for (const e of compiled.validate.errors ?? []) errors.push(toFieldError(e, data));
    }
    for (const dup of findDuplicates(data, schema)) {
      errors.push({
        field: dup.field,
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${show(dup.value)}`,
      });
    }
    return {
      ...base,
      valid: errors.length === 0,
      errors: dedupeFieldErrors(errors),
      unchecked: compiled.unchecked,
    };
  }

  /**
   * {@link validate}, throwing when the object is invalid.
   *
   * @throws ValidationError listing the fields, naming the object and its CRD.
   */
  async assertValid(obj: KubernetesObject, options: ValidateOptions = {}): Promise<void> {
    const result = await this.validate(obj, options);
    if (result.valid) return;
    const shown = result.errors.slice(0, 20).map((e) => `  ${e.field}: ${e.message}`);
    if (result.errors.length > shown.length)
      shown.push(`  ... and ${result.errors.length - shown.length} more`);
    const plural = result.crd?.split('.')[0] ?? obj.kind;
    throw new ValidationError(
      `${obj.kind} ${nameOf(obj)} does not match the schema of CRD ${result.crd}:\n` +
        `${shown.join('\n')}\nFix these fields; \`kubectl explain ${plural} --api-version=${obj.apiVersion} --recursive\` ` +
        'shows the schema.',
      result.errors,
      result.crd ?? '',
      obj.kind ?? '',
      obj.metadata?.name ?? '',
      obj.metadata?.namespace,
    );
  }

  /** Forgets the CRDs read from the server, so the next validation reads them again. */
  invalidate(): void {
    this.lookups.clear();
  }

  private async crdFor(
    group: string,
    kind: string,
    obj: KubernetesObject,
  ): Promise<{ crd: Crd; source: 'static' | 'server' } | undefined> {
    const key = `${group}/${kind}`;
    const fixed = this.staticCrds.get(key);
    if (fixed) return { crd: fixed, source: 'static' };
    // The core group has no custom resources; without a server, unknown kinds cannot be checked.
    if (!group || !this.options.client) return undefined;
    let lookup = this.lookups.get(key);
    const cached = lookup && (await lookup.catch(() => undefined));
    if (!lookup || (cached && Date.now() - cached.at > this.maxAgeMs)) {
      lookup = this.readCrd(group, kind, obj);
      this.lookups.set(key, lookup);
      // A failure is not cached: the next validation asks again.
      const failed = lookup;
      failed.catch(() => {
        if (this.lookups.get(key) === failed) this.lookups.delete(key);
      });
    }
    const { crd } = await lookup;
    return crd ? { crd, source: 'server' } : undefined;
  }

  private async readCrd(group: string, kind: string, obj: KubernetesObject): Promise<CrdLookup> {
    const client = this.options.client as NonNullable<ValidatorOptions['client']>;
    this.discovery ??= client.discovery ?? new Discovery(client.transport);
    const what = `cannot validate ${kind} ${nameOf(obj)}`;
    let resource: string;
    try {
      resource = (await this.discovery.resolve(`${kind}.${group}`)).resource;
    } catch (e) {
      throw new Error(
        `${what}: ${(e as Error).message} If its CRD is not installed yet, pass the CRD in the ` +
          "Validator's `crds` option.",
        { cause: e },
      );
    }
    const name = `${resource}.${group}`;
    const res = await client.transport.request({
      method: 'GET',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`,
    });
    const body = await res.text();
    // Served but not a CRD: a built-in or aggregated API, which the server validates itself.
    if (res.status === 404) return { crd: undefined, at: Date.now() };
    if (res.status < 200 || res.status > 299) {
      const error = apiErrorFromResponse(res.status, body, {
        verb: 'get',
        resource: 'customresourcedefinitions',
        name,
      });
      const hint =
        error.code === 403
          ? ' Grant `get` on customresourcedefinitions, or pass the CRD in the ' +
            "Validator's `crds` option."
          : '';
      throw new Error(`${what}: reading its CRD failed: ${error.message}.${hint}`, { cause: error });
    }
    return { crd: asCrd(JSON.parse(body) as KubernetesObject), at: Date.now() };
  }

  private compile(
    crd: Crd,
    source: 'static' | 'server',
    crdName: string,
    version: string,
    schema: StructuralSchema,
  ): Compiled {
    const key = `${source}:${crdName}/${version}`;
    const resourceVersion = crd.metadata?.resourceVersion ?? '';
    const hit = this.compiled.get(key);
    if (hit && hit.resourceVersion === resourceVersion) return hit;
    const unchecked: string[] = [];
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(toJsonSchema(schema, { unknownFields: this.unknownFields }, unchecked));
    } catch (e) {
      throw new Error(
        `the schema of CRD ${crdName} version ${version} cannot be compiled: ${(e as Error).message}; ` +
          'check it with `kubectl get crd -o yaml`',
        { cause: e },
      );
    }
    const entry = { resourceVersion, validate, unchecked };
    this.compiled.set(key, entry);
    return entry;
  }
}

/**
 * Compiles a schema `pattern`. The API server reads patterns as Go (RE2) regular expressions:
 * leading inline flags (`(?i)`) become JavaScript flags, `\w` and `\d` stay ASCII (no `u` flag), and
 * a pattern JavaScript cannot read is not checked here rather than failing the whole schema.
 */
const kubernetesPattern = Object.assign(
  (pattern: string): { test(s: string): boolean } => {
    const inline = /^\(\?([imsU]+)\)/.exec(pattern);
    const flags = (inline?.[1] ?? '').replace(/[^ims]/g, '');
    try {
      return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, flags);
    } catch {
      return { test: () => true };
    }
  },
  { code: 'kubernetesPattern' },
);

function typeOf(obj: KubernetesObject): { group: string; version: string; kind: string } {
  const apiVersion = obj?.apiVersion;
  const kind = obj?.kind;
  if (!apiVersion || !kind) {
    const missing = !apiVersion ? 'apiVersion' : 'kind';
    throw new InvalidInputError(
      `validate: the object ${obj ? nameOf(obj) : ''} has no ${missing}; set apiVersion and ` +
        'kind (for example apiVersion: example.com/v1, kind: Widget)',
      'validate',
      missing,
    );
  }
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

function asCrd(obj: KubernetesObject): Crd {
  const spec = obj?.spec as Partial<Crd['spec']> | undefined;
  if (
    obj?.kind !== 'CustomResourceDefinition' ||
    !obj.apiVersion?.startsWith('apiextensions.k8s.io/') ||
    !spec?.group ||
    !spec.names?.kind
  ) {
    throw new InvalidInputError(
      `Validator: ${obj?.kind ?? 'object'} ${obj ? nameOf(obj) : ''} is not a ` +
        'CustomResourceDefinition with spec.group and spec.names.kind; pass CRD objects in `crds`',
      'Validator',
      'crds',
    );
  }
  return obj as Crd;
}
