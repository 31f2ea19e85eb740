import { type Client, isAlreadyExists, isConflict, isNotFound } from '@kates/core';
import { mappingCrd } from './mapping.js';
import { type Action, type RouterSnapshot, reconcile, TABLE_LABEL } from './reconcile.js';

/** Where the controller says what it does and why. */
export type Log = (line: string) => void;

/** The field manager of the controller's server-side applies: it owns the tables' fields. */
export const FIELD_MANAGER = 'kates-example-router';

/** Counters of a run, for the end-to-end test and the exit summary. */
export interface ControllerStats {
  reconciles: number;
  /** Tables written by server-side apply (created or changed). */
  applied: number;
  deleted: number;
  /** Writes the API server refused with 409 Conflict (the next snapshot is newer). */
  conflicts: number;
}

export interface RunControllerOptions {
  readonly client: Client;
  readonly log?: Log;
  readonly signal?: AbortSignal;
  /** Coalescing interval of the change signal, ms. */
  readonly interval?: number;
}

/** Installs the Mapping CRD where it is missing. */
export async function ensureMappingCrd(client: Client, log: Log): Promise<void> {
  try {
    await client.create(mappingCrd);
    log(`installed CRD ${mappingCrd.metadata?.name}`);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

/**
 * The router controller: one accumulator over Services, Deployments, Mappings and its own routing
 * tables; on each change signal it reads the newest snapshot and makes the tables match.
 *
 * It writes a table by server-side apply with its own field manager (forcing, as a controller
 * that is the only author of those fields should), not by an update of the table it read: other
 * writers change the table too (the garbage collector removes the owner reference of a deleted
 * Mapping), and an update from a snapshot older than their write would be refused with 409
 * Conflict. An apply sends only the fields the controller owns, with no resourceVersion, so it
 * neither conflicts with nor undoes another manager's fields. A table it writes is in the next
 * snapshot at once (read/write coherence), before the watch delivers it, so it never writes one
 * twice for the same change.
 */
export async function runController(options: RunControllerOptions): Promise<ControllerStats> {
  const { client } = options;
  const log = options.log ?? ((line) => console.log(line));
  const stats: ControllerStats = { reconciles: 0, applied: 0, deleted: 0, conflicts: 0 };
  await ensureMappingCrd(client, log);
  const acc = client.watch(
    { name: 'services', kind: 'svc' },
    { name: 'deployments', kind: 'deploy' },
    { name: 'mappings', kind: 'mappings.example.kates.dev' },
    { name: 'tables', kind: 'cm', labelSelector: { matchLabels: { [TABLE_LABEL]: 'true' } } },
    { interval: options.interval ?? 100, waitForUnserved: true },
  );
  options.signal?.addEventListener('abort', () => acc.close(), { once: true });
  const snapshot: RouterSnapshot = {};
  try {
    for await (const _ of acc) {
      acc.update(snapshot);
      stats.reconciles++;
      const actions = reconcile(snapshot);
      if (actions.length === 0) continue;
      log(
        `reconcile #${stats.reconciles}: ${snapshot.mappings?.length ?? 0} mappings, ` +
          `${snapshot.services?.length ?? 0} services, ${snapshot.deployments?.length ?? 0} deployments -> ` +
          `${actions.length} change(s)`,
      );
      for (const action of actions) await apply(client, action, stats, log);
    }
  } finally {
    acc.close();
  }
  return stats;
}

async function apply(client: Client, action: Action, stats: ControllerStats, log: Log): Promise<void> {
  const where = `${action.object.metadata?.namespace}/${action.object.metadata?.name}`;
  try {
    if (action.verb === 'apply') {
      await client.apply(action.object, { fieldManager: FIELD_MANAGER, force: true });
      stats.applied++;
    } else {
      // The uid precondition: never delete a table someone recreated since the snapshot.
      await client.delete(action.object, { preconditions: { uid: action.object.metadata?.uid } });
      stats.deleted++;
    }
    log(`  ${action.verb} configmap ${where}: ${action.why}`);
  } catch (e) {
    if (isConflict(e)) {
      stats.conflicts++;
      log(
        `  ${action.verb} configmap ${where}: conflict (${(e as Error).message}); the next snapshot will be newer`,
      );
    } else if (isNotFound(e) && action.verb === 'delete') {
      log(`  ${action.verb} configmap ${where}: already gone`);
    } else {
      log(`  ${action.verb} configmap ${where} failed: ${(e as Error).message}`);
    }
  }
}
