import type { DeleteOptions } from './deletion.js';
import { isObject } from './json.js';
import { booleanParam } from './query.js';
import { errors, field, type StatusCause } from './status.js';

/**
 * The options a write carries (`CreateOptions`, `UpdateOptions`, `PatchOptions`, `DeleteOptions`),
 * read and validated as kube-apiserver's handlers do before anything is stored: an unknown value
 * answers 422 on `meta.k8s.io` rather than being ignored, so a misspelt dry run never writes.
 */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

const DRY_RUN_VALUES = ['All'];
const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'];

/** ValidateDryRun: every value must be `All` (an empty list is no dry run). */
function dryRunCause(values: readonly string[]): StatusCause | undefined {
  return values.every((v) => DRY_RUN_VALUES.includes(v))
    ? undefined
    : field.notSupported('dryRun', values, DRY_RUN_VALUES);
}

/** `?dryRun=All` of a create, update or patch: true to validate and answer without storing. */
export function dryRunOf(params: URLSearchParams, kind: OptionsKind): boolean {
  const values = params.getAll('dryRun');
  const cause = dryRunCause(values);
  if (cause) throw errors.invalidOptions(kind, cause);
  return values.length > 0;
}

/** Whether validated DeleteOptions ask for a dry run. */
export function isDryRun(options: DeleteOptions): boolean {
  return (options.dryRun ?? []).length > 0;
}

/** DeleteOptions from the query, as the apiserver's parameter codec decodes them. */
function fromQuery(params: URLSearchParams): DeleteOptions {
  const options: { -readonly [K in keyof DeleteOptions]: DeleteOptions[K] } = {};
  const policy = params.get('propagationPolicy');
  if (policy !== null) options.propagationPolicy = policy;
  const grace = params.get('gracePeriodSeconds');
  if (grace !== null) {
    if (!/^-?\d+$/.test(grace))
      throw errors.badRequest(`strconv.ParseInt: parsing "${grace}": invalid syntax`);
    options.gracePeriodSeconds = Number(grace);
  }
  if (params.has('orphanDependents')) options.orphanDependents = booleanParam(params, 'orphanDependents');
  const dryRun = params.getAll('dryRun');
  if (dryRun.length > 0) options.dryRun = dryRun;
  return options;
}

/** DeleteOptions from a JSON body (`meta.k8s.io/v1` or the legacy `v1`); unknown fields are ignored. */
function fromBody(text: string): DeleteOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`error decoding DeleteOptions: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw errors.badRequest('decoded object cannot be converted to DeleteOptions');
  if (parsed.kind !== undefined && parsed.kind !== 'DeleteOptions')
    throw errors.badRequest('decoded object cannot be converted to DeleteOptions');
  if (parsed.dryRun != null && !Array.isArray(parsed.dryRun))
    throw errors.badRequest('error decoding DeleteOptions: dryRun must be a list of strings');
  const { kind: _k, apiVersion: _a, ...rest } = parsed;
  // A null option is an unset one, as Go's decoder reads it.
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)) as DeleteOptions;
}

/**
 * The DeleteOptions of a DELETE or DELETECOLLECTION: from the body when it has one, otherwise from
 * the query (the apiserver reads one or the other, never both), then validated as
 * ValidateDeleteOptions does: `dryRun` only `All`, a known `propagationPolicy`, not together with
 * the deprecated `orphanDependents`.
 */
export function readDeleteOptions(body: string, params: URLSearchParams): DeleteOptions {
  const options = body.trim() ? fromBody(body) : fromQuery(params);
  const policy = options.propagationPolicy;
  if (options.orphanDependents !== undefined && policy !== undefined) {
    throw errors.invalidOptions(
      'DeleteOptions',
      field.invalid(
        'propagationPolicy',
        policy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (policy !== undefined && !PROPAGATION_POLICIES.includes(policy)) {
    throw errors.invalidOptions(
      'DeleteOptions',
      field.notSupported('propagationPolicy', policy, [...PROPAGATION_POLICIES, 'nil']),
    );
  }
  const cause = dryRunCause(options.dryRun ?? []);
  if (cause) throw errors.invalidOptions('DeleteOptions', cause);
  return options;
}
