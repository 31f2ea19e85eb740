import { InvalidInputError } from '../errors/invalid-input.js';
import { UnknownKindError } from '../errors/unknown-kind.js';
import type { KubernetesObject } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import type { Catalog } from './catalog.js';
import { closestNames } from './closest.js';
import { loadCatalog } from './load.js';
import { resolveApiVersionKind, resolveName } from './resolve.js';
import type { ResourceType } from './types.js';

/** Options of {@link Discovery}. */
export interface DiscoveryOptions {
  /**
   * The least time between two discovery rounds caused by misses (unknown names), in ms; 1000 by
   * default. A miss soon after a round waits for the rest of the interval, then refreshes, so a CRD
   * created a moment ago still resolves, and a loop of unknown names costs at most one round per
   * interval.
   */
  readonly minRefreshIntervalMs?: number;
}

/** Counters of a {@link Discovery}, for tests and benchmarks. */
export interface DiscoveryStats {
  /** Discovery rounds done (the first load and every refresh). */
  readonly rounds: number;
  /** HTTP requests those rounds took. */
  readonly requests: number;
  /** `aggregated` or `legacy`, as the last round found; undefined before the first. */
  readonly source: Catalog['source'] | undefined;
}

/**
 * Which resource types the API server serves, and the one resolver of kind names for kates
 * (see {@link resolveName} for kubectl's rules). Discovery is loaded on first use and cached; a
 * name it does not know triggers one refresh (rate-limited) before it is reported unknown, so
 * resources added after start-up, such as new CRDs, resolve without a restart.
 *
 * Browser-safe: it only needs a {@link Transport}.
 */
export class Discovery {
  private catalog: Catalog | undefined;
  private loading: Promise<Catalog> | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private rounds = 0;
  private requests = 0;
  private readonly minRefreshIntervalMs: number;

  constructor(
    readonly transport: Transport,
    options: DiscoveryOptions = {},
  ) {
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1000;
  }

  /**
   * The resource type of a name kubectl accepts: `svc`, `services`, `Service`, `deploy`,
   * `deployments.apps`, `Deployment.v1.apps`, `apps/v1/Deployment`, `v1/Service`, and the kinds,
   * plurals, singulars and short names of CRDs. At the group's preferred version unless the name
   * names a version.
   *
   * @throws UnknownKindError when the name is unknown even after a refresh; its message names
   *   the closest served names.
   */
  async resolve(name: string): Promise<ResourceType> {
    if (typeof name !== 'string' || !name.trim()) {
      throw new InvalidInputError(
        `resolve: a kind name is required (such as "pods" or "deployments.apps"), got ` +
          `${JSON.stringify(name)}`,
        'resolve',
        'kind',
      );
    }
    const found = resolveName(await this.current(), name);
    if (found) return found;
    const fresh = await this.refreshAfterMiss();
    const retried = resolveName(fresh, name);
    if (retried) return retried;
    const why = name.includes('/')
      ? 'the server has no resource type by that name (a name with "/" reads as GROUP/VERSION/KIND, VERSION/KIND or ' +
        'GROUP/KIND; it holds no object name)'
      : undefined;
    throw new UnknownKindError(name, closestNames(fresh, name), fresh.unavailable, why);
  }

  /**
   * The resource type of an object, from its `apiVersion` and `kind` (compared exactly, as the
   * API server does).
   *
   * @throws InvalidInputError when `apiVersion` or `kind` is missing.
   * @throws UnknownKindError when that version of the group does not serve the kind; the message
   *   names the versions that do.
   */
  async resolveObject(
    obj: Pick<KubernetesObject, 'apiVersion' | 'kind'>,
    verb = 'resolve',
  ): Promise<ResourceType> {
    const { apiVersion, kind } = obj ?? {};
    if (!apiVersion || !kind) {
      const missing = !apiVersion ? 'apiVersion' : 'kind';
      throw new InvalidInputError(
        `${verb}: the object has no ${missing}; set both apiVersion and kind ` +
          '(for example apiVersion: "apps/v1", kind: "Deployment")',
        verb,
        missing,
      );
    }
    const found = resolveApiVersionKind(await this.current(), apiVersion, kind);
    if (found) return found;
    const fresh = await this.refreshAfterMiss();
    const retried = resolveApiVersionKind(fresh, apiVersion, kind);
    if (retried) return retried;
    const served = fresh.resources
      .filter((rt) => rt.kind === kind)
      .map((rt) => (rt.group ? `${rt.group}/${rt.version}` : rt.version));
    const name = `${apiVersion}/${kind}`;
    throw new UnknownKindError(
      name,
      served.length ? served.map((v) => `${v}/${kind}`) : closestNames(fresh, kind),
      fresh.unavailable,
      served.length ? `${apiVersion} does not serve ${kind}` : undefined,
    );
  }

  /**
   * The resource types served at each group's preferred version (one entry per resource), of one
   * group (`''` for the core group) or of all groups.
   */
  async resourcesOf(group?: string): Promise<ResourceType[]> {
    const catalog = await this.current();
    const seen = new Set<string>();
    return catalog.resources.filter((rt) => {
      if (group !== undefined && rt.group !== group) return false;
      const key = `${rt.group}/${rt.resource}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Loads discovery again now, whatever the cache holds. */
  async refresh(): Promise<void> {
    await this.load();
  }

  /** Counters: rounds, requests, and the kind of discovery the server offers. */
  stats(): DiscoveryStats {
    return { rounds: this.rounds, requests: this.requests, source: this.catalog?.source };
  }

  private current(): Promise<Catalog> {
    return this.catalog ? Promise.resolve(this.catalog) : this.load();
  }

  // Concurrent callers share one round.
  private load(): Promise<Catalog> {
    this.loading ??= loadCatalog(this.transport)
      .then((catalog) => {
        this.catalog = catalog;
        this.loadedAt = Date.now();
        this.rounds++;
        this.requests += catalog.requests;
        return catalog;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private refreshAfterMiss(): Promise<Catalog> {
    if (this.loading) return this.loading;
    const wait = this.loadedAt + this.minRefreshIntervalMs - Date.now();
    if (wait <= 0) return this.load();
    // Taken as the round in progress, so that misses during the wait share it.
    this.loading = new Promise<void>((resolve) => {
      setTimeout(resolve, wait);
    }).then(() => {
      this.loading = undefined;
      return this.load();
    });
    return this.loading;
  }
}
