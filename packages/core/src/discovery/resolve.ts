import type { Catalog } from './catalog.js';
import type { ResourceType } from './types.js';

/**
 * kubectl's rules for naming a resource type (k8s.io/cli-runtime `mappingFor`, the shortcut
 * expander and the priority REST mapper), over one discovery {@link Catalog}:
 *
 * 1. As a resource: `resource.version.group`, then `resource.group`, then `resource`; a resource
 *    matches by plural or singular name first, then by short name (`svc`). Resource names are
 *    lower case, so the input is compared in lower case.
 * 2. As a kind, case-insensitively: `Kind.version.group`, then `Kind.group`, then `Kind`.
 * 3. Where several groups match, the first in priority order wins: the core group, then the groups
 *    in discovery order; within a group, the preferred version.
 *
 * Also accepted, as an object's `apiVersion` and `kind` read: `group/version/Kind`, `version/Kind`
 * for the core group (`v1/Service`), and `group/Kind` at the preferred version.
 *
 * @returns the resource type, or undefined when nothing matches.
 */
export function resolveName(catalog: Catalog, input: string): ResourceType | undefined {
  const name = input.trim();
  if (!name) return undefined;
  if (name.includes('/')) return resolveSlashed(catalog, name);
  const lower = name.toLowerCase();
  const dotted = splitDotted(lower);
  return (
    (dotted.version !== undefined
      ? byResource(catalog, dotted.head, dotted.versionGroup, dotted.version)
      : undefined) ??
    byResource(catalog, dotted.head, dotted.group) ??
    (dotted.version !== undefined
      ? byKind(catalog, dotted.head, dotted.versionGroup, dotted.version)
      : undefined) ??
    byKind(catalog, dotted.head, dotted.group)
  );
}

const VERSION = /^v\d+((alpha|beta)\d+)?$/;

/** Whether a string reads as an API version (`v1`, `v2beta1`). */
export function looksLikeVersion(s: string): boolean {
  return VERSION.test(s);
}

function resolveSlashed(catalog: Catalog, name: string): ResourceType | undefined {
  const parts = name.split('/');
  if (parts.some((p) => !p)) return undefined;
  let group: string;
  let version: string | undefined;
  let last: string;
  if (parts.length === 3) [group, version, last] = parts as [string, string, string];
  else if (parts.length === 2 && looksLikeVersion(parts[0] as string))
    [group, version, last] = ['', parts[0] as string, parts[1] as string];
  else if (parts.length === 2) [group, last] = parts as [string, string];
  else return undefined;
  return (
    byKind(catalog, last, group.toLowerCase(), version) ??
    byResource(catalog, last.toLowerCase(), group.toLowerCase(), version)
  );
}

/**
 * `a.b.c.d` read both ways kubectl reads it: `resource.group` (`head`, `group` = `b.c.d`) and
 * `resource.version.group` (`version` = `b`, `versionGroup` = `c.d`) when there are two dots or more.
 */
function splitDotted(s: string): { head: string; group?: string; version?: string; versionGroup?: string } {
  const first = s.indexOf('.');
  if (first < 0) return { head: s };
  const head = s.slice(0, first);
  const rest = s.slice(first + 1);
  const second = rest.indexOf('.');
  if (second < 0) return { head, group: rest };
  return { head, group: rest, version: rest.slice(0, second), versionGroup: rest.slice(second + 1) };
}

function inScope(rt: ResourceType, group: string | undefined, version: string | undefined): boolean {
  return (group === undefined || rt.group === group) && (version === undefined || rt.version === version);
}

/** The singular name; servers before 1.9 leave it out, and kubectl then guesses the lower-case kind. */
export function singularOf(rt: ResourceType): string {
  return rt.singularName || rt.kind.toLowerCase();
}

function byResource(
  catalog: Catalog,
  name: string,
  group?: string,
  version?: string,
): ResourceType | undefined {
  const scoped = catalog.resources.filter((rt) => inScope(rt, group, version));
  // A full resource name beats a short name anywhere, as in kubectl's shortcut expander.
  return (
    scoped.find((rt) => rt.resource === name || singularOf(rt) === name) ??
    scoped.find((rt) => rt.shortNames?.includes(name))
  );
}

function byKind(catalog: Catalog, kind: string, group?: string, version?: string): ResourceType | undefined {
  const lower = kind.toLowerCase();
  return catalog.resources.find((rt) => inScope(rt, group, version) && rt.kind.toLowerCase() === lower);
}

/** The resource of an object's `apiVersion` and `kind`, compared exactly, as the API server does. */
export function resolveApiVersionKind(
  catalog: Catalog,
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return catalog.resources.find((rt) => rt.group === group && rt.version === version && rt.kind === kind);
}
