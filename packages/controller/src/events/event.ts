import { InvalidInputError, type KubernetesObject } from '@kates/core';

/** Which way an Event leans: `Warning` for something a human should look at. */
export type EventType = 'Normal' | 'Warning';

/** The object an Event is about, by reference: never any of its data. */
export interface EventReference {
  apiVersion?: string;
  kind?: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

/** `series` of an Event: how often it repeated, and when it was last seen. */
export interface EventSeries {
  count: number;
  /** MicroTime: RFC 3339 with microseconds. */
  lastObservedTime: string;
}

/** An `events.k8s.io/v1` Event, as JSON. */
export interface EventsV1Event extends KubernetesObject {
  apiVersion: 'events.k8s.io/v1';
  kind: 'Event';
  /** MicroTime of the first occurrence. */
  eventTime: string;
  series?: EventSeries;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: EventReference;
  related?: EventReference;
  note?: string;
  type: EventType;
}

/** What a controller says happened to an object. */
export interface EventInput {
  readonly type: EventType;
  /** Why, in UpperCamelCase (`Created`, `FailedSync`); at most 128 characters. */
  readonly reason: string;
  /** What the controller did or failed to do (`Reconcile`, `Delete`); at most 128 characters. */
  readonly action: string;
  /** For humans; cut to 1024 bytes. Never put Secret data or credentials here. */
  readonly note?: string;
  /** A second object involved (the Pod a ReplicaSet created). */
  readonly related?: KubernetesObject;
}

/** The API server's limits (k8s.io/api/events/v1 validation). */
export const EVENT_LIMITS = { reason: 128, action: 128, reportingInstance: 128, noteBytes: 1024 } as const;

/**
 * A reference to `obj` for an Event's `regarding` or `related`: its identity only (apiVersion,
 * kind, name, namespace, uid, resourceVersion), so that no spec, data or annotation of the object
 * can reach an Event, whatever the object is (a Secret included).
 */
export function eventReferenceTo(obj: KubernetesObject, field = 'regarding'): EventReference {
  const name = obj?.metadata?.name;
  if (!name) {
    throw new InvalidInputError(
      `event: the ${field} object ${obj?.kind ?? ''} has no metadata.name; record Events about objects ` +
        'read from the API server or a snapshot',
      'event',
      field,
    );
  }
  const { apiVersion, kind } = obj;
  const { namespace, uid, resourceVersion } = obj.metadata ?? {};
  return {
    ...(apiVersion ? { apiVersion } : {}),
    ...(kind ? { kind } : {}),
    name,
    ...(namespace ? { namespace } : {}),
    ...(uid ? { uid } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

/** `note` cut to the API server's 1024 bytes, on a character boundary. */
export function truncateNote(note: string): string {
  const bytes = new TextEncoder().encode(note);
  if (bytes.length <= EVENT_LIMITS.noteBytes) return note;
  const ellipsis = '...';
  let cut = EVENT_LIMITS.noteBytes - ellipsis.length;
  // Back up to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
  return new TextDecoder().decode(bytes.slice(0, cut)) + ellipsis;
}

/** Checks what the API server would refuse, so that the mistake shows where the Event is recorded. */
export function checkEventInput(input: EventInput): void {
  const fail = (field: string, why: string) => {
    throw new InvalidInputError(`event: ${field} ${why}`, 'event', field);
  };
  if (input?.type !== 'Normal' && input?.type !== 'Warning')
    fail('type', `must be "Normal" or "Warning", got ${JSON.stringify(input?.type)}`);
  for (const field of ['reason', 'action'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || value === '')
      fail(field, `is required (a short UpperCamelCase word such as "Reconcile")`);
    if (value.length > EVENT_LIMITS[field])
      fail(field, `is ${value.length} characters long; the API server allows ${EVENT_LIMITS[field]}`);
  }
}

const QUALIFIED =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Checks `reportingController`: a qualified name, such as `example.com/router`. */
export function checkReportingController(name: string): void {
  if (typeof name !== 'string' || !QUALIFIED.test(name) || name.length > 316) {
    throw new InvalidInputError(
      `event recorder: reportingController ${JSON.stringify(name)} must be a qualified name such as ` +
        '"example.com/my-controller" (an optional DNS prefix, "/", and a name of at most 63 characters)',
      'EventRecorder',
      'reportingController',
    );
  }
}
