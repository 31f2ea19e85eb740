/** The flood's annotations and its payload text (no side effects: flood-writer.ts runs on import). */

/** The annotation that makes each pod large (as `kubectl.kubernetes.io/last-applied-configuration` does). */
export const PAYLOAD_ANNOTATION = 'bench.kates.io/payload';
/** The small annotation each flood write changes. */
export const FLOOD_ANNOTATION = 'bench.kates.io/flood';
/** The annotation of the last write, on pod 0, after the flood. */
export const MARKER_ANNOTATION = 'bench.kates.io/flood-done';

/** `bytes` of text, different for each pod, that does not compress to nothing. */
export function payloadText(i: number, bytes: number): string {
  let a = (i + 1) * 2654435761;
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,:_-';
  const out: string[] = [];
  for (let k = 0; k < bytes; k++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    out.push(chars[(a >>> 16) % chars.length] as string);
  }
  return out.join('');
}
