import type { ConfigMap } from '@kates/core';

/** What the controller wants the summary ConfigMap to say. */
export interface Plan {
  readonly services: number;
  readonly replicas: number;
}

/**
 * The controller's reconcile: every ConfigMap labelled `app=shop` describes a service and its
 * `replicas`; the summary holds their count and the total of replicas.
 *
 * It has a bug, on purpose: it trusts `data.replicas` to be a number. The day someone writes
 * `replicas: "three"`, the total becomes NaN and the summary says so to everyone.
 */
export function plan(configMaps: readonly ConfigMap[]): Plan {
  const services = configMaps.filter(
    (cm) => cm.metadata?.labels?.app === 'shop' && cm.metadata?.name !== SUMMARY,
  );
  return {
    services: services.length,
    replicas: services.reduce((n, cm) => n + Number(cm.data?.replicas ?? 0), 0),
  };
}

/** The fix: a value that is not a whole number counts as 0 (and a real controller would report it). */
export function fixedPlan(configMaps: readonly ConfigMap[]): Plan {
  const services = configMaps.filter(
    (cm) => cm.metadata?.labels?.app === 'shop' && cm.metadata?.name !== SUMMARY,
  );
  const replicas = services.reduce((n, cm) => {
    const v = Number(cm.data?.replicas ?? 0);
    return n + (Number.isInteger(v) ? v : 0);
  }, 0);
  return { services: services.length, replicas };
}

/** The ConfigMap the controller writes. */
export const SUMMARY = 'shop-summary';
