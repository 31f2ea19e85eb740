import type { KubernetesObject } from '@kates/core';
import { labelKeyError, labelValueError } from '@kates/core/internal';
import { deepEqual, isObject } from './json.js';
import type { NameRule, ServedResource } from './registry.js';
import { field, type StatusCause } from './status.js';
import { validateCustomObject } from './structural-validation.js';

// The apiserver's wording (k8s.io/apimachinery/pkg/util/validation), so messages match a real cluster.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const NAME_RULES: Record<NameRule, { re: RegExp; max: number; message: string }> = {
  subdomain: {
    re: SUBDOMAIN,
    max: 253,
    message:
      'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric ' +
      "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
      "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  label: {
    re: LABEL,
    max: 63,
    message:
      'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or ' +
      "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for " +
      "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  dns1035: {
    re: DNS1035,
    max: 63,
    message:
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', " +
      "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex " +
      "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
  // path.IsValidPathSegmentName (RBAC kinds: `system:controller:x` is a valid name).
  path: {
    re: /^(?!\.\.?$)[^/%]+$/,
    max: Number.POSITIVE_INFINITY,
    message: "may not be '.' or '..' and may not contain '/' or '%'",
  },
};

/** Why a name breaks a rule, or undefined. */
export function nameError(rule: NameRule, name: string): string | undefined {
  const r = NAME_RULES[rule];
  if (name.length > r.max) return `must be no more than ${r.max} characters`;
  if (!r.re.test(name)) return r.message;
  return undefined;
}

function validateStringMap(
  path: string,
  map: unknown,
  keys: 'labels' | 'annotations',
  causes: StatusCause[],
): void {
  if (map === undefined || map === null) return;
  if (!isObject(map)) {
    causes.push(field.invalid(path, map, 'must be a map of string keys to string values'));
    return;
  }
  for (const [k, v] of Object.entries(map)) {
    const keyProblem = labelKeyError(k);
    if (keyProblem) causes.push(field.invalid(path, k, keyProblem));
    if (typeof v !== 'string') causes.push(field.invalid(`${path}.${k}`, v, 'must be a string'));
    else if (keys === 'labels') {
      const valueProblem = labelValueError(v);
      if (valueProblem) causes.push(field.invalid(path, v, valueProblem));
    }
  }
}

/** Metadata rules every kind shares: name, labels, annotations, finalizers. */
function validateMetadata(r: ServedResource, obj: KubernetesObject, causes: StatusCause[]): void {
  const meta = obj.metadata ?? {};
  const name = meta.name;
  if (!name) causes.push(field.required('metadata.name', 'name or generateName is required'));
  else {
    const problem = nameError(r.nameRule, name);
    if (problem) causes.push(field.invalid('metadata.name', name, problem));
  }
  validateStringMap('metadata.labels', meta.labels, 'labels', causes);
  validateStringMap('metadata.annotations', meta.annotations, 'annotations', causes);
  (meta.finalizers ?? []).forEach((f, i) => {
    const problem = typeof f === 'string' ? labelKeyError(f) : 'must be a string';
    if (problem) causes.push(field.invalid(`metadata.finalizers[${i}]`, f, problem));
  });
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function validateConfigKeys(obj: KubernetesObject, causes: StatusCause[]): void {
  for (const part of ['data', 'binaryData', 'stringData']) {
    const map = obj[part];
    if (!isObject(map)) continue;
    for (const key of Object.keys(map)) {
      if (key.length > 253 || !CONFIG_KEY.test(key)) {
        causes.push(
          field.invalid(
            `${part}[${key}]`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', " +
              "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      }
    }
  }
}

/** Whether a CRD schema defines the field a selectable field's jsonPath names (`.spec.color`). */
function schemaHasPath(schema: unknown, jsonPath: string): boolean {
  let node = schema as { properties?: Record<string, unknown>; type?: string } | undefined;
  for (const part of jsonPath.replace(/^\./, '').split('.')) {
    node = node?.properties?.[part] as typeof node;
    if (!node) return false;
  }
  return node?.type === 'string' || node?.type === 'integer' || node?.type === 'boolean';
}

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** The few kind rules the contract touches: workload selectors and replicas, Lease durations and CRD names. */
function validateKind(r: ServedResource, obj: KubernetesObject, causes: StatusCause[]): void {
  if (!r.custom && WORKLOADS.has(r.kind) && r.group === 'apps') {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const selector = spec.selector as { matchLabels?: Record<string, string> } | undefined;
    const labels = (spec.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata
      ?.labels;
    if (!isObject(selector)) causes.push(field.required('spec.selector', ''));
    else if (!Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v)) {
      causes.push(
        field.invalid(
          'spec.template.metadata.labels',
          labels ?? {},
          '`selector` does not match template `labels`',
        ),
      );
    }
    const containers = (spec.template as { spec?: { containers?: unknown[] } } | undefined)?.spec?.containers;
    if (!Array.isArray(containers) || containers.length === 0) {
      causes.push(field.required('spec.template.spec.containers', ''));
    }
  }
  const scalable =
    (WORKLOADS.has(r.kind) && r.group === 'apps') || (r.kind === 'ReplicationController' && r.group === '');
  if (!r.custom && scalable && r.kind !== 'DaemonSet' && isObject(obj.spec)) {
    const { replicas } = obj.spec;
    if (typeof replicas === 'number' && replicas < 0)
      causes.push(field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  if (r.kind === 'Lease' && r.group === 'coordination.k8s.io' && isObject(obj.spec)) {
    const { leaseDurationSeconds, leaseTransitions } = obj.spec;
    if (typeof leaseDurationSeconds === 'number' && leaseDurationSeconds <= 0)
      causes.push(field.invalid('spec.leaseDurationSeconds', leaseDurationSeconds, 'must be greater than 0'));
    if (typeof leaseTransitions === 'number' && leaseTransitions < 0)
      causes.push(
        field.invalid('spec.leaseTransitions', leaseTransitions, 'must be greater than or equal to 0'),
      );
  }
  if (r.kind === 'CustomResourceDefinition' && r.group === 'apiextensions.k8s.io') {
    const spec = (obj.spec ?? {}) as {
      group?: string;
      names?: { plural?: string; kind?: string };
      versions?: unknown[];
    };
    const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
    if (obj.metadata?.name !== expected) {
      causes.push(
        field.invalid('metadata.name', obj.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'),
      );
    }
    if (!spec.names?.kind) causes.push(field.required('spec.names.kind', ''));
    const versions = (spec.versions ?? []) as {
      storage?: boolean;
      schema?: { openAPIV3Schema?: unknown };
      selectableFields?: { jsonPath: string }[];
    }[];
    if (versions.filter((v) => v.storage).length !== 1) {
      causes.push(
        field.invalid(
          'spec.versions',
          versions.length,
          'must have exactly one version marked as storage version',
        ),
      );
    }
    // The fake supports what the apiserver stores once: the same schema and selectable fields in every version.
    const first = versions[0];
    (first?.selectableFields ?? []).forEach((f, i) => {
      if (!schemaHasPath(first?.schema?.openAPIV3Schema, f.jsonPath)) {
        causes.push(
          field.invalid(
            `spec.selectableFields[${i}].jsonPath`,
            f.jsonPath,
            'is an invalid path: does not refer to a valid field',
          ),
        );
      }
    });
  }
}

/** Every rule a new or changed object must meet; empty when it is valid. */
export function validateObject(r: ServedResource, obj: KubernetesObject): StatusCause[] {
  const causes: StatusCause[] = [];
  validateMetadata(r, obj, causes);
  if (!r.custom && r.group === '' && (r.kind === 'ConfigMap' || r.kind === 'Secret'))
    validateConfigKeys(obj, causes);
  validateKind(r, obj, causes);
  if (r.custom && r.schema) causes.push(...validateCustomObject(obj, r.schema));
  return causes;
}

/** Rules of an update: immutable fields, and no new finalizers on an object being deleted. */
export function validateUpdate(
  r: ServedResource,
  next: KubernetesObject,
  old: KubernetesObject,
): StatusCause[] {
  const causes = validateObject(r, next);
  if (!r.custom && WORKLOADS.has(r.kind) && !deepEqual(next.spec?.selector, old.spec?.selector)) {
    causes.push(field.invalid('spec.selector', next.spec?.selector ?? null, 'field is immutable'));
  }
  if ((r.kind === 'ConfigMap' || r.kind === 'Secret') && r.group === '' && old.immutable === true) {
    if (!deepEqual(next.data, old.data))
      causes.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(next.binaryData, old.binaryData)) {
      causes.push(field.forbidden('binaryData', 'field is immutable when `immutable` is set'));
    }
    if (next.immutable !== true)
      causes.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  }
  if (old.metadata?.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    const added = (next.metadata?.finalizers ?? []).filter((f) => !before.has(f));
    if (added.length > 0) {
      causes.push(
        field.forbidden(
          'metadata.finalizers',
          'no new finalizers can be added if the object is being deleted, ' +
            `found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  return causes;
}
