/**
 * The JSON form of a client-node model type: what the API server sends and what snapshots hold.
 * `@kubernetes/client-node` types timestamps as `Date`, but watch events and lists carry RFC 3339
 * strings, and kates never converts them; this type says so.
 */
export type Jsonify<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Jsonify<U>[]
    : T extends (...args: never[]) => unknown
      ? never
      : T extends object
        ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Jsonify<T[K]> }
        : T;
