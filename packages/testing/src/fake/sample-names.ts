/**
 * The names and identifiers the sample cluster's controllers and kubelets would have made up,
 * derived from their inputs so that every call gives the same ones.
 */

/** The alphabet Kubernetes draws generated names from (`k8s.io/apimachinery/pkg/util/rand`): no vowels, no 0, 1, 3. */
export const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, of a string's UTF-16 code units (the names here are ASCII). */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `rand.SafeEncodeString`: each character mapped into {@link KUBE_ALPHABET}. */
function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += KUBE_ALPHABET[text.charCodeAt(i) % KUBE_ALPHABET.length];
  return out;
}

/**
 * The `pod-template-hash` of a pod template, as the Deployment controller computes it: FNV-32a of
 * the template, its decimal digits safe-encoded (hence 9 or 10 characters from a handful of
 * letters and digits). The deployment controller hashes the template's Go struct; the JSON is an
 * equivalent input for a sample: another template, another hash.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv32a(JSON.stringify(template))));
}

/** A 5-character suffix like the ones `generateName` gets, drawn from `seed`. */
export function nameSuffix(seed: string): string {
  let n = fnv32a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += KUBE_ALPHABET[n % KUBE_ALPHABET.length];
    n = Math.floor(n / KUBE_ALPHABET.length) ^ fnv32a(`${seed}/${i}`);
    n >>>= 0;
  }
  return out;
}

/** `length` hex digits drawn from `seed`: image digests, container ids, event name suffixes. */
export function hexOf(seed: string, length = 64): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += fnv32a(`${seed}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, length);
}
