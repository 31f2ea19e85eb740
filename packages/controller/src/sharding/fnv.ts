/**
 * 64-bit FNV-1a over the UTF-8 bytes of a string, as 16 lowercase hex digits: the hash of
 * Kubernetes' server-side sharded list and watch (KEP-5866, `k8s.io/apimachinery/pkg/sharding`
 * `HashField`), so a ring computed here names the same ranges the API server would filter by.
 *
 * Computed on four 16-bit limbs with plain numbers (no BigInt): the product of a limb and a limb
 * of the prime, plus a carry, stays below 2^31.
 */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325, lowest limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const bytes = isAscii(text) ? undefined : new TextEncoder().encode(text);
  const length = bytes ? bytes.length : text.length;
  for (let i = 0; i < length; i++) {
    h0 ^= bytes ? bytes[i]! : text.charCodeAt(i);
    // h *= 0x100000001b3 (limbs 0x01b3, 0, 0x0100, 0), modulo 2^64.
    const r0 = h0 * 0x01b3;
    const r1 = h1 * 0x01b3 + (r0 >>> 16);
    const r2 = h2 * 0x01b3 + h0 * 0x0100 + (r1 >>> 16);
    const r3 = h3 * 0x01b3 + h1 * 0x0100 + (r2 >>> 16);
    h0 = r0 & 0xffff;
    h1 = r1 & 0xffff;
    h2 = r2 & 0xffff;
    h3 = r3 & 0xffff;
  }
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
