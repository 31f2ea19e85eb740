#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startInspector } from './server.js';

const USAGE = `usage: kates inspect RECORDING.jsonl [--port N] [--host ADDRESS] [--with-rotated]

Opens a kates recording (written by createRecorder + fileSink) in the time-travel inspector:
scrub through every action, see how each query's snapshot and status changed.
  --port N          port to serve on (default: a free one)
  --host ADDRESS    address to serve on (default 127.0.0.1: this machine only)
  --with-rotated    join the rotated files beside it (NAME.1.jsonl, ...), oldest first`;

/** Parses `inspect FILE [flags]`; returns the options, or a message to print. */
export function parseArgs(
  argv: readonly string[],
): { file: string; port: number; host: string; withRotated: boolean } | { message: string; code: number } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') return { message: USAGE, code: command ? 0 : 2 };
  if (command !== 'inspect') return { message: `kates: unknown command "${command}"\n${USAGE}`, code: 2 };
  let file: string | undefined;
  let port = 0;
  let host = '127.0.0.1';
  let withRotated = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    if (a === '--port' || a === '--host') {
      const v = rest[++k];
      if (v === undefined) return { message: `kates inspect: ${a} needs a value\n${USAGE}`, code: 2 };
      if (a === '--host') host = v;
      else if (!/^\d+$/.test(v) || Number(v) > 65535)
        return { message: `kates inspect: --port ${v} is not a port`, code: 2 };
      else port = Number(v);
    } else if (a === '--with-rotated') withRotated = true;
    else if (a.startsWith('-')) return { message: `kates inspect: unknown flag ${a}\n${USAGE}`, code: 2 };
    else if (file)
      return { message: `kates inspect: one recording at a time (got ${file} and ${a})`, code: 2 };
    else file = a;
  }
  if (!file) return { message: `kates inspect: which recording?\n${USAGE}`, code: 2 };
  return { file, port, host, withRotated };
}

/** Runs the CLI; resolves when the server is up (it then runs until the process is stopped). */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if ('message' in args) {
    (args.code ? console.error : console.log)(args.message);
    return args.code;
  }
  try {
    const server = await startInspector({
      recording: args.file,
      port: args.port,
      host: args.host,
      withRotated: args.withRotated,
    });
    console.log(`kates inspector: ${server.url} (${args.file}: ${server.actions} actions; Ctrl-C to stop)`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return 0;
  } catch (e) {
    console.error(`kates inspect: ${(e as Error).message}`);
    return 1;
  }
}

const invoked =
  process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
