import { pipeline, Readable, type Transform } from 'node:stream';
import { constants, createGunzip, createInflate, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';

/**
 * The content codings the Node transport asks for (`accept-encoding`) on every request but a
 * watch: kube-apiserver gzips an answer of more than 128 KB to a client that accepts it (LIST pages
 * are megabytes), as client-go's transport asks. A watch asks for none: its events are small, and
 * each must reach the reader as soon as it is sent. Nothing is asked for with compression off
 * (`NodeTransportOptions.compression`, the kubeconfig's `disable-compression`).
 */
export const ACCEPTED_CODINGS = 'gzip';

/** The content coding of an answer (`content-encoding`), lower case; undefined for identity. */
export function contentCoding(header: string | undefined): string | undefined {
  const coding = header?.trim().toLowerCase();
  return coding && coding !== 'identity' ? coding : undefined;
}

/** The codings kates undoes: whole (`decodeBytes`) or as the chunks arrive (`decodeChunks`). */
const gzip = { whole: gunzipSync, stream: createGunzip };
const CODECS: ReadonlyMap<
  string,
  { whole(bytes: Buffer, options?: ZlibOptions): Buffer; stream(): Transform }
> = new Map([
  ['gzip', gzip],
  ['x-gzip', gzip],
  ['deflate', { whole: inflateSync, stream: createInflate }],
]);

/**
 * `bytes` with their content coding undone. Throws for a coding kates did not ask for.
 *
 * Synchronous, as the `JSON.parse` of the text after it is: a page of 2,000 ConfigMaps (2.2 MB)
 * decodes in some 5 ms. zlib's asynchronous functions hand each 16 KB of output to the thread pool
 * and back: from a fresh process, kube-apiserver, a page of 1,000 ConfigMaps took 57 to 62 ms from
 * request to parsed JSON that way, 47 to 57 ms decoded at once; a page of 2,000, 125 to 152 ms
 * against 92 to 101 ms (2026-12-06).
 */
export function decodeBytes(bytes: Buffer, coding: string | undefined): Buffer {
  return decoded(bytes, coding);
}

/**
 * As much of `bytes`, the start of a body, as decodes: for a look at the start of a body before the
 * rest has come (see `bodyTextUnless`). Throws for a coding kates did not ask for.
 */
export function decodeStart(bytes: Buffer, coding: string | undefined): Buffer {
  // A sync flush at the end of the input: what is there decodes, with no error for the rest.
  return decoded(bytes, coding, { finishFlush: constants.Z_SYNC_FLUSH });
}

function decoded(bytes: Buffer, coding: string | undefined, options?: ZlibOptions): Buffer {
  if (coding === undefined) return bytes;
  const codec = CODECS.get(coding);
  if (!codec) throw unknownCoding(coding);
  return codec.whole(bytes, options);
}

/** The chunks of a body with its content coding undone as they arrive (a body read as lines). */
export function decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  coding: string | undefined,
): AsyncIterable<Uint8Array> {
  if (coding === undefined) return chunks;
  const codec = CODECS.get(coding);
  if (!codec) return refused(coding);
  // pipeline: an error of the source or the decoder ends the iteration with it, and leaving the
  // iteration early destroys both (and so ends the request).
  return pipeline(Readable.from(chunks, { objectMode: false }), codec.stream(), () => undefined);
}

// biome-ignore lint/correctness/useYield: it only refuses, when read (where its reader handles errors)
async function* refused(coding: string): AsyncIterable<Uint8Array> {
  throw unknownCoding(coding);
}

function unknownCoding(coding: string): Error {
  return new Error(
    `the answer came in content coding "${coding}", which kates did not ask for (it asks for ${ACCEPTED_CODINGS}): ` +
      'a proxy between kates and the API server may have re-encoded it',
  );
}
