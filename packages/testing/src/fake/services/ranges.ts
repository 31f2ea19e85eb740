import type { SeededRandom } from '../clock.js';

/**
 * The ranges the fake allocates Service addresses from: the test cluster's
 * `--service-cluster-ip-range` and kube-apiserver's default `--service-node-port-range`.
 */
export const SERVICE_CIDR = '10.0.0.0/24';
export const NODE_PORTS = { first: 30000, last: 32767 } as const;

/** An IPv4 CIDR as numbers: its network address and how many addresses it holds. */
export interface Ipv4Range {
  readonly network: number;
  readonly size: number;
}

export function parseCidr(cidr: string): Ipv4Range {
  const [ip, bits] = cidr.split('/');
  const network = ipv4ToNumber(ip ?? '');
  if (network === undefined || bits === undefined) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  return { network, size: 2 ** (32 - Number(bits)) };
}

/** `10.0.0.7` as a number, or undefined for anything but a dotted IPv4 address. */
export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255))
    return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * The size of the low band of a range kept for addresses asked for by value (KEP-3070 for
 * cluster IPs, KEP-3668 for node ports): min(max(16, size / step), max). Dynamic allocation takes
 * from above it first, at random, and from below only when the top is full.
 */
export function rangeOffset(size: number, step: number, max: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / step)), max);
}

/**
 * A free number in [first, last] as the apiserver's allocators pick one: from a random start in
 * the band above `offset`, the next free one (wrapping), else the same below it; undefined when full.
 */
export function pickFree(
  first: number,
  last: number,
  offset: number,
  taken: { has(n: number): boolean },
  random: SeededRandom,
): number | undefined {
  const scan = (from: number, to: number) => {
    const count = to - from + 1;
    if (count <= 0) return undefined;
    const start = Math.floor(random.next() * count);
    for (let i = 0; i < count; i++) {
      const n = from + ((start + i) % count);
      if (!taken.has(n)) return n;
    }
    return undefined;
  };
  return scan(first + offset, last) ?? scan(first, first + offset - 1);
}
