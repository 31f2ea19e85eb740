import {
  type Controller,
  type LeaderElection,
  Manager,
  type ManagerOptions,
  objectKeys,
  ownerKeys,
  type ShutdownReport,
} from '@kates/controller';
import { type Client, type ConfigMap, isAlreadyExists } from '@kates/core';
import { MANAGED_BY, siteReconciler } from './reconcile.js';
import { SITE_GROUP, type Site, siteCrd } from './site.js';

/** Options of {@link startSitesController}. */
export interface SitesControllerOptions {
  readonly client: Client;
  /** The manager's settings: metrics and probe address, shutdown deadline, signals, log. */
  readonly manager?: ManagerOptions;
  readonly leaderElection?: LeaderElection;
  /**
   * Create the Site CRD where it is missing (default true). A deployed controller leaves that to an
   * admin (deploy/crd.yaml): its RBAC does not allow creating CRDs.
   */
  readonly installCrd?: boolean;
  /** Sites reconciled at once (default 4). */
  readonly workers?: number;
  /**
   * Watch Sites (and their ConfigMaps) in this namespace only; all namespaces when absent. A
   * controller run per team does this, and so do tests that share one API server.
   */
  readonly namespace?: string;
}

/** A running sites controller. */
export interface SitesController {
  readonly manager: Manager;
  /** The controller of Sites (its queue, what it reconciles now). */
  readonly controller: Controller;
  /** The metrics and probe server's URL, if it has one. */
  readonly url: string | undefined;
  /** Resolves when the controller has shut down (SIGTERM, leadership lost, or `manager.stop()`). */
  readonly done: Promise<ShutdownReport>;
}

/**
 * The per-object controller: one accumulator over Sites and the ConfigMaps published for them, a
 * work queue fed from its deltas (a Site's own changes, and changes of the ConfigMaps it owns),
 * and `workers` reconciles at once, each of one Site. Everything else is the manager's: metrics,
 * probes, Events, leader election, shutdown.
 */
export async function startSitesController(options: SitesControllerOptions): Promise<SitesController> {
  const manager = new Manager({
    name: 'sites-controller',
    ...options.manager,
    ...(options.leaderElection ? { leaderElection: options.leaderElection } : {}),
  });
  const client = manager.observe(options.client);
  if (options.installCrd ?? true) {
    try {
      await client.create(siteCrd);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  const acc = manager.watch(
    'sites',
    client.watch(
      { name: 'sites', kind: `sites.${SITE_GROUP}`, namespace: options.namespace },
      {
        name: 'contents',
        kind: 'cm',
        namespace: options.namespace,
        labelSelector: { matchLabels: MANAGED_BY },
      },
      { waitForUnserved: true },
    ),
  );
  const events = manager.eventRecorder({ client, reportingController: `${SITE_GROUP}/sites-controller` });
  const snapshot = () =>
    acc.getSnapshot() as { readonly sites?: readonly Site[]; readonly contents?: readonly ConfigMap[] };
  const controller = manager
    .controller({
      name: 'sites',
      maxConcurrentReconciles: options.workers ?? 4,
      reconcile: siteReconciler({ client, events, snapshot }),
    })
    .watch(acc, { sites: objectKeys, contents: ownerKeys('Site', { group: SITE_GROUP }) });
  const url = await manager.listen();
  return { manager, controller, url, done: manager.start() };
}
