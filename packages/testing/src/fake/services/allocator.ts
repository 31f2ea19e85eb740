import { isIP } from 'node:net';
import type { SeededRandom } from '../clock.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { errors, field, type StatusCause } from '../status.js';
import type { ObjectStore } from '../store.js';
import { AllocationTable } from './allocation-table.js';
import {
  ipv4ToNumber,
  NODE_PORTS,
  numberToIpv4,
  parseCidr,
  pickFree,
  rangeOffset,
  SERVICE_CIDR,
} from './ranges.js';

/**
 * What the apiserver's Service registry allocates when it stores a Service, after defaulting and
 * validation: cluster IPs from the service CIDR (`None` for headless), IP families, node ports. An
 * address is taken while a stored Service holds it (allocation-table.ts), so deleting the Service
 * (or its namespace) releases it. The first address is the `kubernetes` Service's.
 */

const NODE_PORT_TYPES = new Set(['NodePort', 'LoadBalancer']);
const IP_FIELDS = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'];
// Dry runs allocate nothing: the apiserver answers the network address and ports past the range.
const DRY_RUN_NODE_PORT = NODE_PORTS.last + 2;

const blank = (v: unknown) => v === undefined || v === null || v === '';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function noSelector(spec: JsonObject): boolean {
  return !isObject(spec.selector) || Object.keys(spec.selector).length === 0;
}

function usesNodePorts(spec: JsonObject): boolean {
  return (
    NODE_PORT_TYPES.has(spec.type as string) &&
    !(spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === false)
  );
}

function portKey(port: JsonObject): string {
  return `${String(port.port)}/${String(port.protocol ?? 'TCP')}`;
}

export class ServiceAllocator {
  private readonly range = parseCidr(SERVICE_CIDR);
  private readonly table: AllocationTable;

  constructor(
    store: ObjectStore,
    private readonly random: SeededRandom,
  ) {
    this.table = new AllocationTable(store);
  }

  /**
   * Fills in the allocated fields of a Service's spec being created (`current` undefined) or
   * updated, in place; returns the reasons to refuse it (422), as the apiserver words them.
   */
  allocate(
    spec: JsonObject,
    current: JsonObject | undefined,
    selfKey: string,
    dryRun: boolean,
  ): StatusCause[] {
    const old = current && isObject(current.spec) ? current.spec : undefined;
    const causes: StatusCause[] = [];
    if (old) this.dropTypeDependentFields(spec, old);
    if (spec.type !== 'ExternalName') this.allocateIps(spec, old, selfKey, dryRun, causes);
    if (causes.length === 0) this.allocateNodePorts(spec, old, selfKey, dryRun, causes);
    if (causes.length === 0) this.allocateHealthCheckPort(spec, old, selfKey, dryRun);
    return causes;
  }

  /**
   * A LoadBalancer Service with `externalTrafficPolicy: Local` gets a node port for the load
   * balancer's health checks (after its ports' node ports); one asked for that cannot be had is an
   * internal error (500), as the apiserver answers it.
   */
  private allocateHealthCheckPort(
    spec: JsonObject,
    old: JsonObject | undefined,
    selfKey: string,
    dryRun: boolean,
  ): void {
    const held = old?.healthCheckNodePort;
    if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') {
      if (held !== undefined && spec.healthCheckNodePort === held) delete spec.healthCheckNodePort;
      return;
    }
    const requested = spec.healthCheckNodePort;
    if (!blank(requested) && requested !== 0) {
      if (requested === held) return;
      const n = requested as number;
      const why =
        n < NODE_PORTS.first || n > NODE_PORTS.last
          ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.first}-${NODE_PORTS.last}`
          : this.table.portTaken(n, selfKey) || this.portsOf(spec).has(n)
            ? 'provided port is already allocated'
            : undefined;
      if (why) throw errors.internal(`failed to allocate requested HealthCheck NodePort ${n}: ${why}`);
      return;
    }
    if (typeof held === 'number') {
      spec.healthCheckNodePort = held;
      return;
    }
    const own = this.portsOf(spec);
    const size = NODE_PORTS.last - NODE_PORTS.first + 1;
    spec.healthCheckNodePort = dryRun
      ? Math.max(DRY_RUN_NODE_PORT - 1, ...own) + 1
      : pickFree(
          NODE_PORTS.first,
          NODE_PORTS.last,
          rangeOffset(size, 32, 128),
          { has: (n) => own.has(n) || this.table.portTaken(n, selfKey) },
          this.random,
        );
  }

  private portsOf(spec: JsonObject): Set<number> {
    return new Set(
      list(spec.ports)
        .map((p) => (isObject(p) ? p.nodePort : undefined))
        .filter((n): n is number => typeof n === 'number'),
    );
  }

  /** A type change clears what only the old type has, unless the same write set it (dropTypeDependentFields). */
  private dropTypeDependentFields(spec: JsonObject, old: JsonObject): void {
    if (spec.type === old.type) return;
    const drop = (key: string) => {
      if (deepEqual(spec[key], old[key])) delete spec[key];
    };
    if (spec.type === 'ExternalName') {
      for (const key of [...IP_FIELDS, 'internalTrafficPolicy']) drop(key);
    }
    if (!NODE_PORT_TYPES.has(spec.type as string)) {
      drop('externalTrafficPolicy');
      const oldPorts = new Map(
        list(old.ports)
          .filter(isObject)
          .map((p) => [portKey(p), p.nodePort]),
      );
      for (const port of list(spec.ports).filter(isObject))
        if (port.nodePort !== undefined && port.nodePort === oldPorts.get(portKey(port)))
          delete port.nodePort;
    }
    if (spec.type !== 'LoadBalancer') drop('allocateLoadBalancerNodePorts');
  }

  /** The addresses taken for a Service at `selfKey`: every other Service's, and the apiserver's own first one. */
  private takenIps(selfKey: string): { has(n: number): boolean } {
    const kubernetes = this.range.network + 1;
    return { has: (n) => n === kubernetes || this.table.ipTaken(n, selfKey) };
  }

  private allocateIps(
    spec: JsonObject,
    old: JsonObject | undefined,
    selfKey: string,
    dryRun: boolean,
    causes: StatusCause[],
  ): void {
    // clusterIP and clusterIPs say the same thing; either fills in the other.
    if (!blank(spec.clusterIP) && list(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
    if (blank(spec.clusterIP) && list(spec.clusterIPs).length > 0) spec.clusterIP = list(spec.clusterIPs)[0];
    const ips = list(spec.clusterIPs);
    if (ips.length > 0 && ips[0] !== spec.clusterIP) {
      causes.push(field.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
      return;
    }
    ips.forEach((ip, i) => {
      if (ip !== 'None' && (typeof ip !== 'string' || isIP(ip) === 0))
        causes.push(
          field.invalid(
            `spec.clusterIPs[${i}]`,
            ip,
            'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
          ),
        );
    });
    if (causes.length > 0) return;
    const oldIps = old ? list(old.clusterIPs) : [];
    if (oldIps.length > 0) {
      // Allocated once: an update that leaves them out keeps them, one that changes them is refused.
      if (ips.length === 0) {
        spec.clusterIP = old?.clusterIP;
        spec.clusterIPs = [...oldIps];
      } else if (!deepEqual(ips, oldIps)) {
        causes.push(field.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
        return;
      }
      for (const key of ['ipFamilies', 'ipFamilyPolicy']) if (blank(spec[key])) spec[key] = old?.[key];
      return;
    }
    this.checkFamilies(spec, causes);
    if (causes.length > 0) return;
    const requested = spec.clusterIP;
    if (requested === 'None') {
      spec.clusterIPs = ['None'];
      return;
    }
    if (blank(requested)) {
      const ip = dryRun ? this.range.network : this.pickIp(selfKey);
      if (ip === undefined) {
        causes.push(field.invalid('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full'));
        return;
      }
      spec.clusterIP = numberToIpv4(ip);
      spec.clusterIPs = [spec.clusterIP];
      return;
    }
    const n = ipv4ToNumber(requested as string);
    const why =
      n === undefined || n <= this.range.network || n >= this.range.network + this.range.size - 1
        ? 'the provided network does not match the current range'
        : this.takenIps(selfKey).has(n)
          ? 'provided IP is already allocated'
          : undefined;
    if (why)
      causes.push(
        field.invalid('spec.clusterIPs', ips, `failed to allocate IP ${String(requested)}: ${why}`),
      );
  }

  /**
   * A single-stack IPv4 cluster: IPv4, SingleStack unless asked otherwise. A headless Service
   * without a selector is the exception the apiserver makes: it may ask for both families.
   */
  private checkFamilies(spec: JsonObject, causes: StatusCause[]): void {
    const headlessWithoutSelector =
      (spec.clusterIP === 'None' || list(spec.clusterIPs)[0] === 'None') && noSelector(spec);
    if (headlessWithoutSelector) {
      if (blank(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = 'RequireDualStack';
      if (list(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4', 'IPv6'];
      return;
    }
    list(spec.ipFamilies).forEach((family, i) => {
      if (family !== 'IPv4')
        causes.push(field.invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
    });
    if (spec.ipFamilyPolicy === 'RequireDualStack')
      causes.push(
        field.invalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy,
          'this cluster is not configured for dual-stack services',
        ),
      );
    if (blank(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = 'SingleStack';
    if (list(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
  }

  private pickIp(selfKey: string): number | undefined {
    const first = this.range.network + 1;
    const last = this.range.network + this.range.size - 2;
    const offset = rangeOffset(this.range.size, 16, 256);
    return pickFree(first, last, offset, this.takenIps(selfKey), this.random);
  }

  private allocateNodePorts(
    spec: JsonObject,
    old: JsonObject | undefined,
    selfKey: string,
    dryRun: boolean,
    causes: StatusCause[],
  ): void {
    const ports = list(spec.ports);
    if (!usesNodePorts(spec)) {
      ports.forEach((port, i) => {
        if (isObject(port) && !blank(port.nodePort) && port.nodePort !== 0 && spec.type === 'ClusterIP')
          causes.push(
            field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"),
          );
      });
      return;
    }
    const own = new Map<string, unknown>();
    if (old && usesNodePorts(old))
      for (const port of list(old.ports)) if (isObject(port)) own.set(portKey(port), port.nodePort);
    const ownNumbers = new Set(own.values());
    // Ports this write takes, besides those other Services hold.
    const mine = new Set<number>();
    const taken = { has: (n: number) => mine.has(n) || this.table.portTaken(n, selfKey) };
    let dryRunPort = DRY_RUN_NODE_PORT;
    ports.forEach((port, i) => {
      if (!isObject(port)) return;
      if (blank(port.nodePort) || port.nodePort === 0) {
        const kept = own.get(portKey(port));
        if (typeof kept === 'number') port.nodePort = kept;
        return;
      }
      if (ownNumbers.has(port.nodePort)) return;
      const n = port.nodePort as number;
      if (n < NODE_PORTS.first || n > NODE_PORTS.last)
        causes.push(
          field.invalid(
            `spec.ports[${i}].nodePort`,
            n,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.first}-${NODE_PORTS.last}`,
          ),
        );
      else if (taken.has(n))
        causes.push(field.invalid(`spec.ports[${i}].nodePort`, n, 'provided port is already allocated'));
      else mine.add(n);
    });
    if (causes.length > 0) return;
    const size = NODE_PORTS.last - NODE_PORTS.first + 1;
    for (const port of ports) {
      if (!isObject(port) || !(blank(port.nodePort) || port.nodePort === 0)) continue;
      const n = dryRun
        ? dryRunPort++
        : pickFree(NODE_PORTS.first, NODE_PORTS.last, rangeOffset(size, 32, 128), taken, this.random);
      if (n === undefined) {
        causes.push(field.invalid('spec.ports', [], 'failed to allocate a nodePort: range is full'));
        return;
      }
      port.nodePort = n;
      mine.add(n);
    }
  }
}
