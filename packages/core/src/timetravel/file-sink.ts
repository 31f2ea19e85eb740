import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Recording } from './format.js';
import { parseRecording } from './parse.js';
import type { RecordingSink } from './sink.js';

/** Options of {@link fileSink}. */
export interface FileSinkOptions {
  /** Segments kept: the current file and `maxFiles - 1` rotated ones (default 5). */
  readonly maxFiles?: number;
  /** Buffered lines are written at the latest after this long, ms (default 100). */
  readonly flushMs?: number;
  /** ... or once this many characters are buffered (default 64 KiB). */
  readonly flushBytes?: number;
}

/** `session.jsonl`, `session.1.jsonl`, `session.2.jsonl`, ...: the current file, then older ones. */
export function rotatedPath(path: string, n: number): string {
  if (n === 0) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${n}${ext}`);
}

/**
 * A sink writing a recording to `path` (Node only), with rotation: on each new segment the current
 * file becomes `NAME.1.EXT`, older ones shift up, and those past `maxFiles` are deleted. Lines are
 * buffered briefly and written with plain synchronous writes, so ordering holds across rotation and
 * whatever is buffered is written when the process exits. Files are created mode 0600.
 */
export function fileSink(
  path: string,
  options: FileSinkOptions = {},
): RecordingSink & { readonly path: string } {
  const maxFiles = Math.max(1, options.maxFiles ?? 5);
  const flushMs = options.flushMs ?? 100;
  const flushBytes = options.flushBytes ?? 64 * 1024;
  let fd: number | undefined = openSync(path, 'w', 0o600);
  let buffer: string[] = [];
  let buffered = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (fd === undefined || buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    buffered = 0;
    writeSync(fd, text);
  };
  const onExit = () => flush();
  process.on('exit', onExit);

  return {
    path,
    write(line) {
      if (fd === undefined) throw new Error(`the recording file ${path} is closed`);
      buffer.push(`${line}\n`);
      buffered += line.length + 1;
      if (buffered >= flushBytes) flush();
      else if (!timer) {
        timer = setTimeout(flush, flushMs);
        timer.unref?.();
      }
    },
    rotate() {
      flush();
      if (fd !== undefined) closeSync(fd);
      rmSync(rotatedPath(path, maxFiles - 1), { force: true });
      for (let n = maxFiles - 2; n >= 0; n--) {
        const from = rotatedPath(path, n);
        if (existsSync(from)) renameSync(from, rotatedPath(path, n + 1));
      }
      if (maxFiles === 1) rmSync(path, { force: true });
      fd = openSync(path, 'w', 0o600);
    },
    flush,
    close() {
      flush();
      process.off('exit', onExit);
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * The text of a recording file. With `withRotated`, the rotated files beside it (`NAME.N.EXT`) are
 * joined before it, oldest first, as far back as they continue each other (an older file may have
 * lost its successor to rotation).
 * @throws RecordingFormatError naming the file and line on a malformed recording.
 */
export function recordingText(path: string, options: { withRotated?: boolean } = {}): string {
  if (!existsSync(path)) throw new Error(`no recording at ${path}: check the path given to fileSink()`);
  const files = [path];
  if (options.withRotated)
    for (let n = 1; existsSync(rotatedPath(path, n)); n++) files.unshift(rotatedPath(path, n));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  for (let start = 0; start < texts.length; start++) {
    const text = texts.slice(start).join('');
    try {
      parseRecording(text);
      return text;
    } catch (e) {
      if (start === texts.length - 1) {
        (e as Error).message = `${path}: ${(e as Error).message}`;
        throw e;
      }
    }
  }
  throw new Error('unreachable');
}

/** Reads and parses a recording file (see {@link recordingText}). */
export function readRecordingFile(path: string, options: { withRotated?: boolean } = {}): Recording {
  return parseRecording(recordingText(path, options));
}
