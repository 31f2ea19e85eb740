import { apiErrorFromResponse } from '../errors/api-error.js';
import type { Pod } from '../model/kinds.js';
import type { Status, WatchEvent } from '../model/object.js';
import { Backoff } from '../reflector/backoff.js';
import { sleep } from '../sleep.js';
import type { Transport } from '../transport/types.js';

function podPath(namespace: string, name?: string): string {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

/** GETs a pod; undefined when it does not exist. Other answers are ApiErrors naming the pod. */
export async function getPod(
  transport: Transport,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Pod | undefined> {
  const res = await transport.request({ method: 'GET', path: podPath(namespace, name), signal });
  const body = await res.text();
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status > 299) {
    throw apiErrorFromResponse(res.status, body, { verb: 'get', resource: 'pods', name, namespace });
  }
  return JSON.parse(body) as Pod;
}

/** The URL path of a pod's log subresource. */
export function podLogPath(namespace: string, name: string): string {
  return `${podPath(namespace, name)}/log`;
}

/**
 * Follows one pod by UID with a watch on its name, to learn when it is deleted (or replaced by a
 * new pod of the same name, which is a deletion of this one) and to keep its newest state. Watch
 * failures are retried with the project's backoff; on 410 Gone it reads the pod again.
 */
export class PodWatch {
  /** The newest state seen of the pod. */
  latest: Pod;
  private deletedFlag = false;
  private readonly onDeleted: (() => void)[] = [];
  private readonly uid: string | undefined;
  private readonly namespace: string;
  private readonly name: string;

  constructor(
    private readonly transport: Transport,
    pod: Pod,
    private readonly signal: AbortSignal,
  ) {
    this.latest = pod;
    this.uid = pod.metadata?.uid;
    this.namespace = pod.metadata?.namespace ?? '';
    this.name = pod.metadata?.name ?? '';
    void this.run().catch(() => undefined);
  }

  /** Whether the pod is known to be gone. */
  get deleted(): boolean {
    return this.deletedFlag;
  }

  /** Calls `listener` once the pod is gone (at once if it is). */
  whenDeleted(listener: () => void): void {
    if (this.deletedFlag) listener();
    else this.onDeleted.push(listener);
  }

  /**
   * Reads the pod now, authoritatively (a watch may lag): its state, or undefined when it is gone.
   * Marks it deleted if so.
   */
  async refresh(): Promise<Pod | undefined> {
    if (this.deletedFlag) return undefined;
    const pod = await getPod(this.transport, this.namespace, this.name, this.signal);
    if (!pod || (this.uid && pod.metadata?.uid !== this.uid)) {
      this.markDeleted();
      return undefined;
    }
    this.latest = pod;
    return pod;
  }

  private markDeleted(): void {
    if (this.deletedFlag) return;
    this.deletedFlag = true;
    for (const listener of this.onDeleted.splice(0)) listener();
  }

  private async run(): Promise<void> {
    const backoff = new Backoff({ initialMs: 500, maxMs: 10_000 });
    let resourceVersion = this.latest.metadata?.resourceVersion;
    while (!this.signal.aborted && !this.deletedFlag) {
      let resync = false;
      try {
        const res = await this.transport.request({
          method: 'GET',
          path: podPath(this.namespace),
          signal: this.signal,
          query: {
            watch: true,
            fieldSelector: `metadata.name=${this.name}`,
            resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: 300,
          },
        });
        if (res.status === 410) resync = true;
        else if (res.status < 200 || res.status > 299) {
          throw apiErrorFromResponse(res.status, await res.text(), {
            verb: 'watch',
            resource: 'pods',
            name: this.name,
            namespace: this.namespace,
          });
        } else {
          for await (const line of res.lines()) {
            const event = JSON.parse(line) as WatchEvent<Pod> | { type: 'ERROR'; object: Status };
            if (event.type === 'ERROR') {
              resync = true;
              break;
            }
            const pod = event.object as Pod;
            resourceVersion = pod.metadata?.resourceVersion ?? resourceVersion;
            if (event.type === 'BOOKMARK') continue;
            if (event.type === 'DELETED' || (this.uid && pod.metadata?.uid !== this.uid)) {
              this.markDeleted();
              return;
            }
            this.latest = pod;
            backoff.success();
          }
        }
      } catch {
        if (this.signal.aborted) return;
        await sleep(backoff.failure(), this.signal);
        resync = true;
      }
      if (resync && !this.signal.aborted) {
        try {
          const pod = await this.refresh();
          resourceVersion = pod?.metadata?.resourceVersion;
        } catch {
          if (!this.signal.aborted) await sleep(backoff.failure(), this.signal);
        }
      }
    }
  }
}
