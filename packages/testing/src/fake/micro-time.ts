import type { FieldShape } from './field-validation.js';
import { isObject, type JsonObject } from './json.js';
import { errors } from './status.js';

/** Go's layout of `metav1.MicroTime` (RFC3339Micro), as its parse errors quote it. */
const LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

/** The MicroTime fields under `spec` of the built-in kinds the fake serves, by `group/Kind`. */
const MICRO_TIME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'coordination.k8s.io/Lease': ['acquireTime', 'renewTime'],
};

/**
 * A MicroTime as kube-apiserver decodes it: exactly six fractional digits and `Z` or `±hh:mm`,
 * answered in UTC; anything else is why the body cannot be decoded (Go's `time.Parse` wording).
 */
function parseMicroTime(
  value: string,
): { readonly utc: string } | { readonly rest: string; readonly element: string } {
  const head = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!head) return { rest: value, element: '2006' };
  const afterSeconds = value.slice(head[0].length);
  const fraction = /^\.(\d{6})/.exec(afterSeconds);
  if (!fraction) return { rest: afterSeconds, element: '.000000' };
  const zone = afterSeconds.slice(fraction[0].length);
  const offset = zone === 'Z' ? 0 : /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (offset === null) return { rest: zone, element: 'Z07:00' };
  const [, y, mo, d, h, mi, s] = head.map(Number) as number[];
  const minutes =
    offset === 0 ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const utc = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - minutes * 60_000);
  return { utc: `${utc.toISOString().slice(0, 19)}.${fraction[1]}Z` };
}

/**
 * Decodes the MicroTime fields of a built-in object as kube-apiserver does: a time without exactly
 * six fractional digits makes the whole body undecodable (400 BadRequest, nothing stored); one
 * with an offset is stored in UTC.
 */
export function decodeMicroTimes(shape: FieldShape, obj: JsonObject): JsonObject {
  const fields = MICRO_TIME_FIELDS[`${shape.group}/${shape.kind}`];
  const spec = obj.spec;
  if (!fields || !isObject(spec)) return obj;
  let decoded: JsonObject | undefined;
  for (const name of fields) {
    const value = spec[name];
    if (typeof value !== 'string') continue;
    const parsed = parseMicroTime(value);
    if ('rest' in parsed) {
      throw errors.badRequest(
        `${shape.kind} in version "${shape.version}" cannot be handled as a ${shape.kind}: parsing time ` +
          `"${value}" as "${LAYOUT}": cannot parse "${parsed.rest}" as "${parsed.element}"`,
      );
    }
    if (parsed.utc !== value) {
      decoded ??= { ...spec };
      decoded[name] = parsed.utc;
    }
  }
  return decoded ? { ...obj, spec: decoded } : obj;
}
