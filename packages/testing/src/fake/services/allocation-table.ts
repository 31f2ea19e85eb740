import type { KubernetesObject } from '@kates/core';
import { isObject } from '../json.js';
import type { ObjectStore, StoreEvent } from '../store.js';
import { ipv4ToNumber } from './ranges.js';

const SERVICES = '/services';

/** The cluster IPs (as numbers) and node ports a stored Service holds. */
function heldBy(svc: KubernetesObject | undefined): { ips: number[]; ports: number[] } {
  const spec = svc?.spec;
  const ips = (Array.isArray(spec?.clusterIPs) ? spec.clusterIPs : [])
    .map((ip: unknown) => (typeof ip === 'string' ? ipv4ToNumber(ip) : undefined))
    .filter((n: number | undefined): n is number => n !== undefined);
  const ports = (Array.isArray(spec?.ports) ? spec.ports : [])
    .map((p: unknown) => (isObject(p) && typeof p.nodePort === 'number' ? p.nodePort : undefined))
    .filter((n: number | undefined): n is number => n !== undefined);
  if (typeof spec?.healthCheckNodePort === 'number') ports.push(spec.healthCheckNodePort);
  return { ips, ports };
}

/**
 * Which Service holds each cluster IP and node port, kept from the store's events (so a delete,
 * whoever makes it, releases at once) and built on first use from what the store holds: one
 * allocation costs the same with ten Services or ten thousand.
 */
export class AllocationTable {
  private ips?: Map<number, string>;
  private ports?: Map<number, string>;

  constructor(private readonly store: ObjectStore) {}

  private ensure(): void {
    if (this.ips) return;
    this.ips = new Map();
    this.ports = new Map();
    for (const [key, svc] of this.store.keysFrom(SERVICES, undefined, undefined)) this.hold(key, svc);
    this.store.subscribe((e) => this.apply(e));
  }

  private hold(key: string, svc: KubernetesObject): void {
    const { ips, ports } = heldBy(svc);
    for (const n of ips) this.ips?.set(n, key);
    for (const n of ports) this.ports?.set(n, key);
  }

  private apply(e: StoreEvent): void {
    if (e.storageKey !== SERVICES) return;
    const before = heldBy(e.prev);
    for (const n of before.ips) if (this.ips?.get(n) === e.key) this.ips.delete(n);
    for (const n of before.ports) if (this.ports?.get(n) === e.key) this.ports.delete(n);
    if (e.type !== 'DELETED') this.hold(e.key, e.object);
  }

  /** Whether a Service other than `selfKey` holds cluster IP `n`. */
  ipTaken(n: number, selfKey: string): boolean {
    this.ensure();
    const holder = this.ips?.get(n);
    return holder !== undefined && holder !== selfKey;
  }

  /** Whether a Service other than `selfKey` holds node port `n`. */
  portTaken(n: number, selfKey: string): boolean {
    this.ensure();
    const holder = this.ports?.get(n);
    return holder !== undefined && holder !== selfKey;
  }
}
