import { type ApiError, apiErrorFromResponse } from '../errors/api-error.js';
import type { Pod } from '../model/kinds.js';
import type { Transport } from '../transport/types.js';
import { AsyncQueue } from './async-queue.js';
import { getPod, PodWatch, podLogPath } from './pod-watch.js';

/** Where logs come from: a client (its transport and default namespace), or a bare transport. */
export type PodLogsSource = Transport | { readonly transport: Transport; readonly namespace?: string };

/** A pod: an object read from the API server (a snapshot's), or its name and namespace. */
export type PodLogsTarget = Pod | { readonly name: string; readonly namespace?: string };

/** Options of {@link podLogs}; the log options are the API server's `PodLogOptions`. */
export interface PodLogsOptions {
  /** Containers to read; every container by default (init, regular and ephemeral, as `kubectl logs --all-containers`). */
  readonly containers?: readonly string[];
  /** Keep streaming new lines until the container ends or the pod is deleted (default true). */
  readonly follow?: boolean;
  readonly sinceSeconds?: number;
  /** RFC 3339 time; lines before it are skipped. */
  readonly sinceTime?: string;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  /** The previous instance of each container (after a restart). */
  readonly previous?: boolean;
  /** Stops streaming; the iteration then ends without an error. */
  readonly signal?: AbortSignal;
  /**
   * Once the pod is deleted, how long (ms) its streams may still deliver their last lines before
   * they are closed (default 1000). A kubelet that is gone would otherwise keep them open.
   */
  readonly deletionGraceMs?: number;
  /** Events held for a slow consumer before the streams are paused (default 1000). */
  readonly maxBuffered?: number;
}

/** Why one container's stream ended cleanly. */
export type PodLogEndReason =
  /** Not following: everything up to now was read. */
  | 'completed'
  /** The container exited. */
  | 'terminated'
  /** The pod was deleted (or replaced by another pod of the same name). */
  | 'pod-deleted';

/** What each event says about where it comes from. */
export interface PodLogOrigin {
  readonly namespace: string;
  readonly pod: string;
  /** The pod's UID, to tell apart pods of the same name, as Go kates' `LogEvent.PodID`. */
  readonly uid: string;
  readonly container: string;
}

/** One log line of one container. */
export interface PodLogLine extends PodLogOrigin {
  readonly type: 'line';
  /** The kubelet's RFC 3339 timestamp of the line, nanoseconds included; `''` if the line had none. */
  readonly timestamp: string;
  readonly message: string;
}

/** The clean end of one container's stream. */
export interface PodLogEnd extends PodLogOrigin {
  readonly type: 'end';
  readonly reason: PodLogEndReason;
}

/** The failure of one container's stream; the other containers go on. */
export interface PodLogFailure extends PodLogOrigin {
  readonly type: 'error';
  readonly error: PodLogError;
}

/** Every container yields lines, then exactly one `end` or `error`. */
export type PodLogEvent = PodLogLine | PodLogEnd | PodLogFailure;

/** Why a pod's (or one container's) logs could not be read. */
export type PodLogErrorReason =
  /** The pod does not exist. */
  | 'PodNotFound'
  /** The container name is not one of the pod's. */
  | 'UnknownContainer'
  /** The pod is not scheduled, or the container is waiting to start: there are no logs yet. */
  | 'NotStarted'
  /** The API server refused the log request or could not reach the kubelet. */
  | 'RequestFailed'
  /** The connection broke while reading. */
  | 'ConnectionLost'
  /** The server ended a followed stream while the container still runs. */
  | 'StreamClosed';

/** An error reading logs; the message names the pod, the container and what to do next. */
export class PodLogError extends Error {
  override readonly name = 'PodLogError';
  constructor(
    message: string,
    readonly reason: PodLogErrorReason,
    readonly namespace: string,
    readonly pod: string,
    /** Undefined for errors about the whole pod. */
    readonly container: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }

  /** The API server's status code, when it answered. */
  get code(): number | undefined {
    return (this.cause as ApiError | undefined)?.code;
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Splits a `timestamps=true` log line into its RFC 3339 timestamp and its message. */
export function parseLogLine(line: string): { timestamp: string; message: string } {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  if (TIMESTAMP.test(head)) return { timestamp: head, message: space < 0 ? '' : line.slice(space + 1) };
  return { timestamp: '', message: line };
}

/** Every container of a pod, in `kubectl logs --all-containers` order: init, regular, ephemeral. */
function containersOf(pod: Pod): string[] {
  const spec = pod.spec;
  return [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ].map((c) => c.name);
}

function containerStatusOf(pod: Pod, container: string) {
  const s = pod.status;
  return [
    ...(s?.initContainerStatuses ?? []),
    ...(s?.containerStatuses ?? []),
    ...(s?.ephemeralContainerStatuses ?? []),
  ].find((c) => c.name === container);
}

// What to do after a refused log request, for the answers whose server message does not say.
function hintFor(error: ApiError, pod: Pod | undefined): string {
  const node = pod?.spec?.nodeName;
  if (error.code === 403) return ' (the kubeconfig user needs `get` on `pods/log` in this namespace)';
  if (error.code === 404 && node) return ` (the pod's node "${node}" is not registered with the API server)`;
  if (error.code >= 500 && node) {
    return ` (the API server could not reach the kubelet of node "${node}": check that the node is Ready)`;
  }
  return '';
}

/**
 * Streams the log lines of every container of a pod, with their timestamps, as one async iterable
 * (Go kates' `PodLogs`). It follows by default: each container's stream ends when the container
 * exits or the pod is deleted, then the iteration ends. Errors of one container (not started,
 * refused, connection lost) are `error` events; the other containers go on. Lines arrive in the
 * order each container wrote them; containers interleave as their lines arrive.
 *
 * It speaks through the client's {@link Transport} (`GET .../pods/NAME/log`), so it uses the same
 * authentication as every other request. Stopping the iteration (`break`) or aborting
 * `options.signal` closes every stream.
 *
 * @throws PodLogError when the pod cannot be read at all (not found, forbidden).
 */
export async function* podLogs(
  source: PodLogsSource,
  target: PodLogsTarget,
  options: PodLogsOptions = {},
): AsyncGenerator<PodLogEvent, void, undefined> {
  const transport = 'request' in source ? source : source.transport;
  const defaultNamespace = 'request' in source ? undefined : source.namespace;
  const ref =
    'metadata' in target && target.metadata
      ? target.metadata
      : (target as { name?: string; namespace?: string });
  const name = ref.name;
  const namespace = ref.namespace ?? defaultNamespace ?? 'default';
  if (!name) throw new TypeError('podLogs: the pod has no name; pass a Pod or { name, namespace }');
  const follow = options.follow ?? true;

  const stopped = new AbortController();
  const onAbort = () => stopped.abort();
  if (options.signal?.aborted) return;
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const afterDeletion = new AbortController();
  let deletionTimer: ReturnType<typeof setTimeout> | undefined;
  const queue = new AsyncQueue<PodLogEvent>(options.maxBuffered ?? 1000);
  stopped.signal.addEventListener('abort', () => queue.close(), { once: true });

  try {
    let pod: Pod | undefined;
    try {
      pod = await getPod(transport, namespace, name, stopped.signal);
    } catch (e) {
      if (stopped.signal.aborted) return;
      throw new PodLogError(
        `logs of pod ${namespace}/${name}: ${(e as Error).message}`,
        'RequestFailed',
        namespace,
        name,
        undefined,
        e,
      );
    }
    if (!pod) {
      throw new PodLogError(
        `logs of pod ${namespace}/${name}: the pod does not exist; check its name and namespace`,
        'PodNotFound',
        namespace,
        name,
        undefined,
      );
    }
    const uid = pod.metadata?.uid ?? '';
    const watch = follow ? new PodWatch(transport, pod, stopped.signal) : undefined;
    watch?.whenDeleted(() => {
      deletionTimer = setTimeout(() => afterDeletion.abort(), options.deletionGraceMs ?? 1000);
    });
    const podNow = async (): Promise<Pod | undefined> => {
      if (watch) return watch.refresh();
      const now = await getPod(transport, namespace, name, stopped.signal);
      return now && (!uid || now.metadata?.uid === uid) ? now : undefined;
    };
    const all = containersOf(pod);
    const wanted = options.containers ?? all;
    const signal = AbortSignal.any([stopped.signal, afterDeletion.signal]);

    const pump = async (container: string): Promise<void> => {
      const origin: PodLogOrigin = { namespace, pod: name, uid, container };
      const what = `logs of container "${container}" in pod ${namespace}/${name}`;
      const end = (reason: PodLogEndReason) => queue.push({ type: 'end', ...origin, reason });
      const fail = (message: string, reason: PodLogErrorReason, cause?: unknown) =>
        queue.push({
          type: 'error',
          ...origin,
          error: new PodLogError(`${what}: ${message}`, reason, namespace, name, container, cause),
        });
      // Read the pod after a failure: a deleted pod ends cleanly whatever the stream said.
      const gone = async (): Promise<{ gone: boolean; pod?: Pod }> => {
        if (afterDeletion.signal.aborted || watch?.deleted) return { gone: true };
        try {
          const now = await podNow();
          return now ? { gone: false, pod: now } : { gone: true };
        } catch {
          return { gone: false };
        }
      };

      if (!all.includes(container)) {
        return fail(
          `the pod has no such container; its containers are ${all.join(', ')}`,
          'UnknownContainer',
        );
      }
      try {
        const res = await transport.request({
          method: 'GET',
          path: podLogPath(namespace, name),
          accept: 'text/plain, application/json',
          signal,
          query: {
            container,
            follow,
            timestamps: true,
            sinceSeconds: options.sinceSeconds,
            sinceTime: options.sinceTime,
            tailLines: options.tailLines,
            limitBytes: options.limitBytes,
            previous: options.previous || undefined,
          },
        });
        if (res.status < 200 || res.status > 299) {
          const error = apiErrorFromResponse(res.status, await res.text(), {
            verb: 'get',
            resource: 'pods/log',
            name,
            namespace,
          });
          const state = await gone();
          if (state.gone) return end('pod-deleted');
          return fail(
            `${error.code} ${error.reason}: ${error.serverMessage}${hintFor(error, state.pod ?? pod)}`,
            'RequestFailed',
            error,
          );
        }
        for await (const line of res.lines()) {
          const { timestamp, message } = parseLogLine(line);
          await queue.push({ type: 'line', ...origin, timestamp, message });
        }
      } catch (e) {
        if (stopped.signal.aborted) return;
        if ((await gone()).gone) return end('pod-deleted');
        return fail(
          `the connection broke while reading (${(e as Error).message}); call podLogs again, with ` +
            'sinceTime set to the last timestamp read',
          'ConnectionLost',
          e,
        );
      }
      if (!follow) return end('completed');
      const state = await gone();
      if (state.gone) return end('pod-deleted');
      const now = state.pod ?? watch?.latest ?? pod;
      if (!now.spec?.nodeName) {
        return fail(
          `the pod is not scheduled to a node yet (phase ${now.status?.phase ?? 'unknown'}), so the container ` +
            'has no logs; call podLogs again once it runs',
          'NotStarted',
        );
      }
      const status = containerStatusOf(now, container);
      if (status?.state?.terminated) return end('terminated');
      if (!status?.state?.running) {
        const waiting = status?.state?.waiting?.reason;
        return fail(
          `the container has not started${waiting ? ` (${waiting})` : ''}, so it has no logs yet; call ` +
            'podLogs again once it runs',
          'NotStarted',
        );
      }
      return fail(
        'the server closed the stream while the container still runs; call podLogs again, with sinceTime ' +
          'set to the last timestamp read',
        'StreamClosed',
      );
    };

    void Promise.allSettled(wanted.map(pump)).then(() => queue.close());
    yield* queue;
  } finally {
    stopped.abort();
    clearTimeout(deletionTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
