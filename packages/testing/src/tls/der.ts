/**
 * The few ASN.1 DER encodings an X.509 certificate needs (RFC 5280, X.690), so certificates can be
 * made with Node's crypto alone: no openssl binary (a fresh machine may lack one), no dependency.
 * Each function returns one complete TLV (tag, length, value).
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A TLV with any tag byte. */
export function tlv(tag: number, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const octetString = (value: Uint8Array): Buffer => tlv(0x04, value);
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
/** `[n] EXPLICIT`: a constructed context-specific wrapper. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);
/** `[n] IMPLICIT` of a primitive (a GeneralName's dNSName is [2], iPAddress [7]). */
export const implicit = (n: number, value: Uint8Array): Buffer => tlv(0x80 | n, value);

/** A non-negative INTEGER from big-endian bytes (a 0x00 is prepended when the high bit is set). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const value = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : Buffer.from(trimmed);
  return tlv(0x02, value);
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Buffer.from([n]));

/** A BIT STRING of whole bytes, or of `bits` significant bits (the rest of the last byte unused). */
export function bitString(bytes: Uint8Array, bits = bytes.length * 8): Buffer {
  const unused = bytes.length * 8 - bits;
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** An OBJECT IDENTIFIER from its dotted form (`2.5.29.17`). */
export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(out));
}

/** A certificate time: UTCTime through 2049, GeneralizedTime after, as RFC 5280 4.1.2.5 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}
