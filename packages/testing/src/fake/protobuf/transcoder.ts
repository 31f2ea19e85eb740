import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The fake API server's protobuf codec: `kates-protobuf transcode` (packages/testing/cluster/protobuf),
 * a Go program over the Kubernetes release's own serializers, run as one long-lived child process
 * per Node process and spoken to in length-prefixed frames on its stdin and stdout. Protobuf
 * needs the generated Go types of every built-in kind; reusing the real ones keeps the fake's bytes
 * the real server's without keeping protobuf definitions in this repository.
 */

/** Where the Go program and its build script live. */
export const protobufModuleDir = fileURLToPath(new URL('../../../cluster/protobuf/', import.meta.url));

/** Environment variable naming the transcoder binary, or `off` to serve no protobuf. */
export const TRANSCODER_ENV = 'KATES_PROTOBUF_TRANSCODER';

const OP_TO_JSON = 0x6a; // 'j': protobuf body -> JSON
const OP_TO_PROTOBUF = 0x70; // 'p': JSON -> protobuf body
const OP_WATCH_EVENT = 0x77; // 'w': {"type","object"} -> metav1.WatchEvent message
const OP_EVENT_JSON = 0x65; // 'e': metav1.WatchEvent message -> {"type","object"}

/** A request the transcoder refused (not a built-in kind, bytes that are not protobuf...). */
export class TranscodeError extends Error {
  override readonly name = 'TranscodeError';
}

interface Pending {
  resolve(value: Buffer): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/**
 * How long one answer may take. Answers take milliseconds; one that does not come means the
 * process is stuck, and a client would wait forever: it is killed, which fails what it holds.
 */
const ANSWER_TIMEOUT_MS = 30_000;

/** One running `kates-protobuf transcode`: requests answered in order, one answer each. */
export class Transcoder {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending: Pending[] = [];
  private received: Buffer = Buffer.alloc(0);

  constructor(private readonly binary: string) {}

  /** The JSON of a protobuf body (with its `k8s\0` envelope). */
  async toJson(body: Buffer): Promise<string> {
    return (await this.request(OP_TO_JSON, body)).toString('utf8');
  }

  /** The protobuf body (`k8s\0` envelope included) of the JSON of a built-in kind. */
  toProtobuf(json: string): Promise<Buffer> {
    return this.request(OP_TO_PROTOBUF, Buffer.from(json, 'utf8'));
  }

  /** One `metav1.WatchEvent` message (without its frame length) for a JSON watch event line. */
  watchEvent(json: string): Promise<Buffer> {
    return this.request(OP_WATCH_EVENT, Buffer.from(json, 'utf8'));
  }

  /** The JSON line (`{"type","object"}`) of one `metav1.WatchEvent` message: what a client reads. */
  async watchEventJson(message: Buffer): Promise<string> {
    return (await this.request(OP_EVENT_JSON, message)).toString('utf8');
  }

  private request(op: number, payload: Buffer): Promise<Buffer> {
    const child = this.running();
    const header = Buffer.alloc(5);
    header.writeUInt32BE(payload.length + 1, 0);
    header[4] = op;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), ANSWER_TIMEOUT_MS);
      timer.unref();
      this.pending.push({ resolve, reject, timer });
      // Held open only while an answer is awaited: an idle transcoder never keeps Node running.
      handle(child.stdout).ref?.();
      child.stdin.write(Buffer.concat([header, payload]));
    });
  }

  private running(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.binary, ['transcode'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.stdout.on('data', (d: Buffer) => this.receive(d));
    const fail = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined; // the next request starts a new one
      this.received = Buffer.alloc(0);
      for (const p of this.pending.splice(0)) {
        clearTimeout(p.timer);
        p.reject(new Error(`the protobuf transcoder ${why} ${stderr}`));
      }
    };
    child.on('error', (e) => fail(`failed: ${e.message}`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.stdin.on('error', () => {}); // an exit reports it
    child.unref();
    handle(child.stdin).unref?.();
    handle(child.stderr).unref?.();
    return child;
  }

  private receive(data: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, data]) : data;
    while (this.received.length >= 4) {
      const size = this.received.readUInt32BE(0);
      if (this.received.length < 4 + size) break;
      const frame = this.received.subarray(4, 4 + size);
      this.received = this.received.subarray(4 + size);
      const waiting = this.pending.shift();
      if (!waiting) continue;
      clearTimeout(waiting.timer);
      if (frame[0] === 0) waiting.resolve(Buffer.from(frame.subarray(1)));
      else waiting.reject(new TranscodeError(frame.subarray(1).toString('utf8')));
    }
    if (this.pending.length === 0 && this.child) handle(this.child.stdout).unref?.();
  }
}

/** A child's pipe as the socket it is, which can be left out of what keeps Node running. */
function handle(pipe: object): { ref?(): void; unref?(): void } {
  return pipe as { ref?(): void; unref?(): void };
}

/** The transcoder's binary where it is built, found once per value of {@link TRANSCODER_ENV}. */
const located = new Map<string, Promise<Transcoder | undefined>>();

/**
 * The process's transcoder, or `undefined` where it is not built (Go missing, or the test setup
 * has not run `cluster/protobuf/build.sh`) or {@link TRANSCODER_ENV} is `off`. Never builds: a
 * build takes minutes on a cold machine, longer than a client waits for an answer.
 */
export function protobufTranscoder(): Promise<Transcoder | undefined> {
  const setting = process.env[TRANSCODER_ENV] ?? '';
  let found = located.get(setting);
  if (!found) {
    found = setting === 'off' ? Promise.resolve(undefined) : locate(setting);
    located.set(setting, found);
    // Not built yet: look again at the next protobuf request, as a build (`npm start` starts one
    // in the background) may have finished since.
    if (setting !== 'off')
      void found.then((t) => {
        if (!t) located.delete(setting);
      });
  }
  return found;
}

function locate(setting: string): Promise<Transcoder | undefined> {
  if (setting) return Promise.resolve(new Transcoder(setting));
  return new Promise((resolve) => {
    execFile('bash', [`${protobufModuleDir}build.sh`, '--cached'], (error, stdout) => {
      const path = stdout.trim().split('\n').pop();
      resolve(!error && path ? new Transcoder(path) : undefined);
    });
  });
}
