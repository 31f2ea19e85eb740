import type { KubernetesObject } from '@kates/core';
import { col, NAME } from './cells.js';
import { CORE_PRINTERS } from './core-printers.js';
import { GROUP_PRINTERS } from './group-printers.js';

/**
 * kube-apiserver's printers (pkg/printers/internalversion) for the built-in kinds the fake serves:
 * the columns `kubectl get` shows and how each cell is computed from an object. The apiserver
 * prints defaulted objects; the fake does not default what it stores, so a printer reads a
 * missing field as its default (a Service's type is ClusterIP, a port's protocol TCP).
 */
export interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly priority: number;
  /** Set where it is not a field's documentation (CRD printer columns). */
  readonly description?: string;
}

export interface Printer {
  readonly columns: readonly Column[];
  readonly cells: (obj: KubernetesObject, now: number) => unknown[];
}

/** The printers by storage key (`apps/deployments`). */
export const PRINTERS: Readonly<Record<string, Printer>> = { ...CORE_PRINTERS, ...GROUP_PRINTERS };

/** The apiserver's default printer, for kinds without one of their own: Name and Created At. */
export const DEFAULT_PRINTER: Printer = {
  columns: [NAME, col('Created At', 'date')],
  cells: (o) => [o.metadata?.name, o.metadata?.creationTimestamp],
};
