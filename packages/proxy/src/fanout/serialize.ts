import type { KubernetesObject, ObjectTransform } from '@kates/core';
import { toPartialObjectMetadata } from '@kates/core/internal';

/**
 * The JSON of a cache's objects, as its clients asked for them (whole, or `PartialObjectMetadata`).
 * An object's JSON is computed once and kept while the object is current (the cache calls
 * {@link Serializer.forget} when it is replaced), so that fifty sessions
 * listing or watching it cost one `JSON.stringify`: the cache never changes an object it holds
 * (a new version is a new object), so the text cannot go stale. A cache has one serializer per
 * projection its clients asked for, each with its own texts.
 */
export class Serializer {
  private readonly texts = new WeakMap<object, string>();
  /** `upstreamTexts`, where this serializer sends whole objects: a projection's text is its own. */
  private readonly upstream: UpstreamTexts | undefined;

  constructor(
    private readonly metadataOnly: boolean,
    /** Keep the text of every object (about the JSON size again in memory), or compute it each time. */
    private readonly keep: boolean,
    /** The projection the clients asked for (see `projection.ts`); none: the objects as they are. */
    private readonly project?: ObjectTransform,
    /** The texts the API server sent the objects in (whole objects only; see {@link UpstreamTexts}). */
    upstreamTexts?: UpstreamTexts,
  ) {
    this.upstream = project || metadataOnly ? undefined : upstreamTexts;
  }

  /** The JSON of `obj`. */
  json(obj: KubernetesObject): string {
    let text = this.texts.get(obj);
    if (text === undefined && this.upstream) {
      this.upstream.enabled = true;
      text = this.upstream.get(obj);
    }
    if (text === undefined) {
      const projected = this.project ? this.project(obj) : obj;
      text = JSON.stringify(this.metadataOnly ? toPartialObjectMetadata(projected) : projected);
      if (this.keep) this.texts.set(obj, text);
    }
    return text;
  }

  /**
   * Lets go of the text of an object the cache no longer holds (a newer version replaced it, or
   * it was deleted). Kept, it would live as long as the object does in the history: as much again
   * as every event of the history, for each projection.
   */
  forget(obj: KubernetesObject): void {
    this.texts.delete(obj);
    this.upstream?.delete(obj);
  }

  /** One line of a watch stream (without its newline). */
  event(type: string, obj: KubernetesObject): string {
    return `{"type":"${type}","object":${this.json(obj)}}`;
  }
}

/**
 * The JSON texts of a cache's watched objects as the API server sent them (the reflector's
 * `objectTexts`), so that whole objects are sent on without a `JSON.stringify` each: 15% of the
 * proxy's CPU at 25 MB/s of 206 KB pods (bench/src/browser-flood). Kept only once a client has
 * asked for the whole form (each text is about the object's JSON again in memory, which a proxy
 * whose pages all project should not pay), and only while the object is current, as the
 * serializer's own texts. Proved by 'sends whole objects in the text the API server sent them in,
 * once a client reads them whole' (serialize.test.ts).
 */
export class UpstreamTexts extends WeakMap<object, string> {
  /** Set by the first whole-form read; texts offered before then are not kept. */
  enabled = false;

  override set(obj: object, text: string): this {
    return this.enabled ? super.set(obj, text) : this;
  }
}
