/**
 * A `metav1.MicroTime` as the API server writes it: RFC 3339 in UTC with exactly six fractional
 * digits (`2026-12-04T20:51:10.123000Z`). The Lease's `acquireTime` and `renewTime` are MicroTimes;
 * kube-apiserver refuses other fractions (see the Lease contract cases), so `Date.toISOString()`
 * with its three digits cannot be sent as is.
 */
export function formatMicroTime(date: Date): string {
  const iso = date.toISOString(); // 2026-12-04T20:51:10.123Z
  return `${iso.slice(0, -1)}000Z`;
}

/** Whether `text` is a MicroTime as {@link formatMicroTime} writes it. */
export function isMicroTime(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(text);
}
