import type { KubernetesObject } from '@kates/core';
import { toPartialObjectMetadata } from '@kates/core/internal';

/**
 * The JSON of a cache's objects, as its clients asked for them (whole, or `PartialObjectMetadata`).
 * An object's JSON is computed once and kept while the object is current, so that fifty sessions
 * listing or watching it cost one `JSON.stringify`: the cache never changes an object it holds
 * (a new version is a new object), so the text cannot go stale.
 */
export class Serializer {
  private readonly texts = new WeakMap<object, string>();

  constructor(
    private readonly metadataOnly: boolean,
    /** Keep the text of every object (about the JSON size again in memory), or compute it each time. */
    private readonly keep: boolean,
  ) {}

  /** The JSON of `obj`. */
  json(obj: KubernetesObject): string {
    let text = this.texts.get(obj);
    if (text === undefined) {
      text = JSON.stringify(this.metadataOnly ? toPartialObjectMetadata(obj) : obj);
      if (this.keep) this.texts.set(obj, text);
    }
    return text;
  }

  /** One line of a watch stream (without its newline). */
  event(type: string, obj: KubernetesObject): string {
    return `{"type":"${type}","object":${this.json(obj)}}`;
  }
}
