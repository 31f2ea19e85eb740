/**
 * FNV-1a, 64 bits, over the UTF-16 code units of strings (for ASCII text this is the standard
 * FNV-1a 64 of its bytes). Kept as two 32-bit halves: BigInt arithmetic costs about ten times more,
 * and the hash runs on every recorded action.
 */
export class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Feeds every code unit of `text`. */
  string(text: string): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < text.length; i++) {
      lo ^= text.charCodeAt(i);
      // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40), the low word done in 16-bit halves.
      const a = (lo & 0xffff) * 0x1b3;
      const b = (lo >>> 16) * 0x1b3 + (a >>> 16);
      hi = (Math.imul(hi, 0x1b3) + (b >>> 16) + (lo << 8)) >>> 0;
      lo = (((b & 0xffff) << 16) | (a & 0xffff)) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** Feeds a field and a separator, so that `("ab","c")` and `("a","bc")` differ. */
  field(text: string): this {
    return this.string(text).string('\u0000');
  }

  /** The hash as two 32-bit halves: high, low. */
  halves(): [number, number] {
    return [this.hi, this.lo];
  }

  /** The hash as 16 lower-case hex digits. */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** The FNV-1a 64 hash of `text`, as 16 hex digits. */
export function fnv64(text: string): string {
  return new Fnv64().string(text).hex();
}
