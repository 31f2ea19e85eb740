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
 * Synchronous, as the `JSON.parse` of the text after it is. zlib's asynchronous functions hand each
 * 16 KB of output to the thread pool and back: from a fresh process, kube-apiserver, a page of
 * 1,000 ConfigMaps took 57 to 62 ms from request to parsed JSON that way, 47 to 57 ms decoded at
 * once; a page of 2,000, 125 to 152 ms against 92 to 101 ms (2026-12-06).
 *
 * A gzip body comes out in one buffer of the size its trailer gives (`gzipOutputSize`), rather than
 * in zlib's 16 KB chunks joined at the end, which wrote the text twice into memory the process had
 * not touched yet. kube-apiserver's pages, gzipped at level 1 as it does, decoded in a fresh process
 * (two processes of five decodes each, Node 24, 2 cores, 2026-12-07): 2,000 of the bench's
 * ConfigMaps (2.2 MB, 0.7 gzipped) in 10.7 to 13.6 ms against 16.5 to 23.9; 1,000 Pods (5.1 MB,
 * 0.37 gzipped) in 17 to 19 ms against 29 to 47. In a list of 10k ConfigMaps from kube-apiserver
 * over loopback, pages 2 to 5 went from their last byte to their text in 19 to 27 ms, against 18 to
 * 34 and mostly 26 or more. Proved by 'reads a gzip body whole into one buffer of its trailer's
 * size, and a body of several members or a small one as before' (content-coding.test.ts).
 */
export function decodeBytes(bytes: Buffer, coding: string | undefined): Buffer {
  if (coding === 'gzip' || coding === 'x-gzip') {
    const size = gzipOutputSize(bytes);
    if (size !== undefined) return decoded(bytes, coding, { chunkSize: size });
  }
  return decoded(bytes, coding);
}

/**
 * The size a whole gzip body decodes to, as its trailer gives it (ISIZE, the last four bytes: the
 * last member's size, modulo 2^32), where that can be believed and is worth a chunk of its own:
 * more than zlib's 16 KB chunk, and at most `GZIP_MOST_EXPANSION` times the body. Otherwise
 * undefined: zlib's chunks then grow the output as it comes, as a trailer that says too little
 * (several members, or a lie) also leaves them to.
 */
export function gzipOutputSize(bytes: Buffer): number | undefined {
  if (bytes.length < GZIP_LEAST_BYTES) return undefined;
  const size = bytes.readUInt32LE(bytes.length - 4);
  return size > constants.Z_DEFAULT_CHUNK && size <= bytes.length * GZIP_MOST_EXPANSION ? size : undefined;
}

/** A gzip member's header (10 bytes) and trailer (8). */
const GZIP_LEAST_BYTES = 18;

/**
 * How many times its gzip size a body's trailer may claim before kates disbelieves it: JSON of
 * Kubernetes objects gzips to a third (ConfigMaps) to a fourteenth (Pods) of its size at level 1,
 * and a larger claim would have kates set aside memory the text may never fill.
 */
const GZIP_MOST_EXPANSION = 64;

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
