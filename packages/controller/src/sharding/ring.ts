import { fnv1a64 } from './fnv.js';

/** Points per member by default: three members get a third each within about ±15 % (spread ~1/√100). */
export const DEFAULT_VIRTUAL_NODES = 100;

/** One arc of the hash space, `[start, end)`, as 16-digit hex (`end` may be `10000000000000000`, 2^64). */
export interface HashRange {
  readonly start: string;
  readonly end: string;
}

const TOP = '10000000000000000';
const ZERO = '0000000000000000';

interface Token {
  readonly at: string;
  readonly member: string;
}

/**
 * A consistent-hash ring: each member owns `virtualNodes` points of the 64-bit hash space and,
 * from each, the arc up to the next member's point. A key belongs to the member of the nearest
 * point at or below its hash (wrapping below the first point to the last). Adding or removing a
 * member moves only the keys on the arcs it gains or loses, about 1/N of them.
 *
 * Hashes are 64-bit FNV-1a as 16 hex digits (see {@link fnv1a64}), so string order is numeric
 * order. A member's points are FNV-1a of `member#i`, passed through a 64-bit finalizer (splitmix)
 * because FNV-1a alone places the points of similar names close together.
 */
export class HashRing {
  readonly members: readonly string[];
  private readonly tokens: readonly Token[];

  constructor(
    members: Iterable<string>,
    readonly virtualNodes = DEFAULT_VIRTUAL_NODES,
  ) {
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1)
      throw new RangeError(`a hash ring needs at least one virtual node per member, got ${virtualNodes}`);
    this.members = [...new Set(members)].sort();
    const tokens: Token[] = [];
    for (const member of this.members)
      for (let i = 0; i < virtualNodes; i++) tokens.push({ at: mix(fnv1a64(`${member}#${i}`)), member });
    // Ties (vanishingly rare) go to the smaller member name, so every replica builds one ring.
    this.tokens = tokens.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.member < b.member ? -1 : 1));
  }

  /** The member that owns a hash (16 hex digits), or undefined for an empty ring. */
  ownerOfHash(hash: string): string | undefined {
    const { tokens } = this;
    if (tokens.length === 0) return undefined;
    let lo = 0;
    let hi = tokens.length - 1;
    if (hash < tokens[0]!.at) return tokens[hi]!.member;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tokens[mid]!.at <= hash) lo = mid;
      else hi = mid - 1;
    }
    return tokens[lo]!.member;
  }

  /** The member that owns a key (a uid or a namespace), hashed with FNV-1a. */
  ownerOf(key: string): string | undefined {
    return this.ownerOfHash(fnv1a64(key));
  }

  /** The arcs a member owns, merged where adjacent, in order. */
  rangesOf(member: string): HashRange[] {
    const { tokens } = this;
    const ranges: HashRange[] = [];
    const push = (start: string, end: string) => {
      const last = ranges.at(-1);
      if (last && last.end === start) ranges[ranges.length - 1] = { start: last.start, end };
      else if (start !== end) ranges.push({ start, end });
    };
    const last = tokens.at(-1);
    if (last?.member === member) push(ZERO, tokens[0]!.at);
    tokens.forEach((t, i) => {
      if (t.member === member) push(t.at, tokens[i + 1]?.at ?? TOP);
    });
    return ranges;
  }
}

// splitmix64's finalizer, on the 16-digit hex of a hash.
function mix(hex: string): string {
  let z = BigInt(`0x${hex}`);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  z ^= z >> 31n;
  return z.toString(16).padStart(16, '0');
}

/**
 * The member's share of the ring as a shard selector of Kubernetes' server-side sharded list and
 * watch (KEP-5866, alpha in 1.36 behind the `ShardedListAndWatch` feature gate): `shardRange(field,
 * start, end)` terms joined by `||`, bounds as 0x-prefixed 16-digit hex. Where the API server
 * serves it, a member's watch can be filtered there instead of by the shard label; it then has no
 * drain step, so objects move between members the moment the ring changes.
 */
export function shardSelectorOf(
  ring: HashRing,
  member: string,
  field: 'object.metadata.uid' | 'object.metadata.namespace' = 'object.metadata.uid',
): string {
  return ring
    .rangesOf(member)
    .map((r) => `shardRange(${field}, '0x${r.start}', '0x${r.end}')`)
    .join(' || ');
}
