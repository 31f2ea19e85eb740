import type { Discovery } from '../discovery/discovery.js';
import { apiVersionOf, type ResourceType } from '../discovery/types.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import type { KubernetesObject } from '../model/object.js';
import type { KindRef } from './types.js';

/** The object or reference a call is about, resolved. */
export interface Target {
  readonly rt: ResourceType;
  readonly name: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace: string | undefined;
  /** The object given, when one was (not a reference). */
  readonly object: KubernetesObject | undefined;
}

/** Whether a call was given a `{ kind, name }` reference rather than an object. */
export function isKindRef(x: unknown): x is KindRef {
  return (
    typeof x === 'object' &&
    x !== null &&
    !('metadata' in x) &&
    typeof (x as KindRef).name === 'string' &&
    typeof (x as KindRef).kind === 'string'
  );
}

/** The namespace of a call: the one given for namespaced kinds, else the client's; none for cluster-scoped kinds. */
export function namespaceFor(
  rt: ResourceType,
  given: string | undefined,
  fallback: string,
): string | undefined {
  return rt.namespaced ? given || fallback : undefined;
}

/** `Deployment.apps`-style name of a kind, for messages. */
export function kindName(rt: ResourceType): string {
  return rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
}

/**
 * Resolves the object or reference of a call that names one existing object. Refuses, before
 * any request, an input without a name, and a reference where the verb sends the object itself.
 */
export async function resolveTarget(
  discovery: Discovery,
  verb: string,
  input: KubernetesObject | KindRef,
  fallbackNamespace: string,
  accepts: 'object' | 'object or reference' = 'object',
): Promise<Target> {
  if (typeof input !== 'object' || input === null || (accepts === 'object' && isKindRef(input))) {
    const expected =
      accepts === 'object'
        ? 'the object itself (apiVersion, kind, metadata and fields)'
        : 'an object or a { kind, name } reference';
    throw new InvalidInputError(`${verb}: expected ${expected}, got ${describeInput(input)}`, verb, 'object');
  }
  if (isKindRef(input)) {
    const rt = await discovery.resolve(input.kind);
    requireName(verb, rt, input.name, 'name');
    return {
      rt,
      name: input.name,
      namespace: namespaceFor(rt, input.namespace, fallbackNamespace),
      object: undefined,
    };
  }
  const rt = await discovery.resolveObject(input, verb);
  const name = input.metadata?.name;
  requireName(verb, rt, name, 'metadata.name');
  return {
    rt,
    name,
    namespace: namespaceFor(rt, input.metadata?.namespace, fallbackNamespace),
    object: input,
  };
}

function describeInput(input: unknown): string {
  if (isKindRef(input)) return `a reference to ${input.kind} "${input.name}"`;
  return input === null ? 'null' : typeof input;
}

/** Refuses an empty or missing name, naming the kind and the field to set. */
export function requireName(
  verb: string,
  rt: ResourceType,
  name: unknown,
  field: string,
): asserts name is string {
  if (typeof name !== 'string' || !name) {
    throw new InvalidInputError(
      `${verb} ${kindName(rt)}: ${field} is required; set it to the name of the object`,
      verb,
      field,
    );
  }
}

/** Sets `apiVersion` and `kind` where the API server left them out (list items, some answers). */
export function stamp<T extends KubernetesObject>(obj: T, rt: ResourceType): T {
  if (!obj.apiVersion) obj.apiVersion = apiVersionOf(rt);
  if (!obj.kind) obj.kind = rt.kind;
  return obj;
}
