import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where generated feeds are kept between processes of a run and between runs (git ignores it). */
export const FEED_CACHE_DIR = fileURLToPath(new URL('../../out/cache', import.meta.url));

/**
 * Feeds of fewer objects are generated each time: caching them saves little (1k objects take
 * tens of milliseconds), and the unit tests, which use small feeds, write no files.
 */
export const CACHED_FROM_OBJECTS = 10_000;

/**
 * What the generated objects depend on: this folder's feed and the objects' generator, as built.
 * A change to either makes new cache files (old ones are left; `bench/out` is scratch).
 */
const GENERATOR_VERSION = (() => {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const hash = createHash('sha256');
  for (const file of [join(dirname(here), `feed${ext}`), join(dirname(here), '..', `objects${ext}`)])
    hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
})();

const READ_CHUNK = 8 << 20;

/**
 * The lines `make` yields (made of `objects` generated objects), kept in a file named after `name`
 * and the generator's version: the
 * first process to ask generates them (writing the file as it goes, renamed into place only once
 * complete), later ones read them. Generating 100k Pods' list pages took 16 s a process, and the
 * bench's store and memory parts ask for the same feeds in some 15 fresh processes. A line at a
 * time either way, so only what the caller keeps stays in memory. Lines must not hold a newline
 * (JSON text does not). `KATES_BENCH_FEED_CACHE=off` generates every time.
 */
export function* cachedLines(
  name: string,
  objects: number,
  make: () => Iterable<string>,
  dir = FEED_CACHE_DIR,
): Generator<string> {
  if (objects < CACHED_FROM_OBJECTS || process.env.KATES_BENCH_FEED_CACHE === 'off') {
    yield* make();
    return;
  }
  const file = join(dir, `${name}-${GENERATOR_VERSION}.ndjson`);
  if (existsSync(file)) {
    yield* readLines(file);
    return;
  }
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  let complete = false;
  try {
    for (const line of make()) {
      writeSync(fd, `${line}\n`);
      yield line;
    }
    complete = true;
  } finally {
    closeSync(fd);
    // Left before the end (or failed): the partial file is not a feed.
    if (complete) renameSync(partial, file);
    else rmSync(partial, { force: true });
  }
}

function* readLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let carry: Buffer[] = [];
    for (;;) {
      const read = readSync(fd, buffer, 0, READ_CHUNK, null);
      if (read === 0) break;
      let start = 0;
      for (let nl = buffer.indexOf(10, start); nl >= 0 && nl < read; nl = buffer.indexOf(10, start)) {
        const piece = buffer.subarray(start, nl);
        yield carry.length ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8');
        carry = [];
        start = nl + 1;
      }
      // A copy: the buffer is read into again.
      if (start < read) carry.push(Buffer.from(buffer.subarray(start, read)));
    }
    if (carry.length) yield Buffer.concat(carry).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
