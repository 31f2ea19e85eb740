import type { UnknownAction } from '@reduxjs/toolkit';
import type { KubernetesObject } from '../model/object.js';
import { type PathSegment, parsePath, replaceAtPath } from './path.js';

/** What a redacted value is replaced with. */
export const REDACTED = '<redacted>';

/** One more value to redact: a path, in objects of one kind (and apiVersion) or of every kind. */
export interface RedactionRule {
  /** JSONPath-like: `data.password`, `data.*`, `spec.containers[*].env[*].value`. */
  readonly path: string;
  /** Only objects of this kind (`ConfigMap`); every kind when absent. */
  readonly kind?: string;
  /** Only objects of this apiVersion (`v1`); every version when absent. */
  readonly apiVersion?: string;
}

/** What is redacted before anything is written. Everything is on by default. */
export interface RedactionOptions {
  /**
   * Secrets (`v1` `Secret`): every value of `data` and `stringData` (keys are kept) and the
   * `kubectl.kubernetes.io/last-applied-configuration` annotation, which repeats them.
   */
  readonly secrets?: boolean;
  /** Bearer and Basic credentials, JWTs and `token=` parameters in error messages and poison lines. */
  readonly tokens?: boolean;
  /** More values to redact, in any kind: strings are paths applied to every object. */
  readonly paths?: readonly (string | RedactionRule)[];
}

/** The redaction in force, as written in a recording's header (no values, only what was redacted). */
export interface RedactionPolicy {
  readonly secrets: boolean;
  readonly tokens: boolean;
  readonly paths: readonly RedactionRule[];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]+/gi, `$1$2${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b((?:access_|id_|refresh_)?token)=[^&\s"',;]+/gi, `$1=${REDACTED}`],
];

/** Whether a group-kind or a watch key (`Secret|ns|labels|fields`) is that of core Secrets. */
function isSecretKey(key: string | undefined): boolean {
  return key === 'Secret' || (key?.startsWith('Secret|') ?? false);
}

/** Whether an object is a core Secret. */
export function isSecret(obj: KubernetesObject | undefined): boolean {
  return obj?.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);
}

const redactValue = (v: unknown) => (v === undefined || v === REDACTED ? v : REDACTED);
const redactMapValues = (v: unknown) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  let copy: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    if (x === REDACTED) continue;
    copy ??= { ...v };
    copy[k] = REDACTED;
  }
  return copy ?? v;
};

/**
 * Redacts objects, texts and kates actions by one policy. Redaction never changes its input (stored
 * objects are frozen); it copies only what it changes, returns the same object when nothing is to
 * be redacted, and gives the same copy for the same input (so identities shared in the store stay
 * shared in a checkpoint). Redacting twice changes nothing more.
 */
export class Redactor {
  readonly policy: RedactionPolicy;
  private readonly rules: { segments: PathSegment[]; kind?: string; apiVersion?: string }[];
  private readonly cache = new WeakMap<object, KubernetesObject>();
  private readonly hintedCache = new WeakMap<object, KubernetesObject>();

  constructor(options: RedactionOptions | false = {}) {
    const paths = options === false ? [] : (options.paths ?? []);
    this.policy =
      options === false
        ? { secrets: false, tokens: false, paths: [] }
        : {
            secrets: options.secrets ?? true,
            tokens: options.tokens ?? true,
            paths: paths.map((p) => (typeof p === 'string' ? { path: p } : { ...p })),
          };
    this.rules = this.policy.paths.map((r) => ({
      segments: parsePath(r.path),
      ...(r.kind ? { kind: r.kind } : {}),
      ...(r.apiVersion ? { apiVersion: r.apiVersion } : {}),
    }));
  }

  /** Whether this redactor changes anything at all. */
  get active(): boolean {
    return this.policy.secrets || this.policy.tokens || this.rules.length > 0;
  }

  /**
   * `obj` with its secret values replaced. `secretHint` says the object came from a Secret watch or
   * write, for objects that carry no `kind`.
   */
  object(obj: KubernetesObject, secretHint = false): KubernetesObject {
    if (obj === null || typeof obj !== 'object') return obj;
    const cache = secretHint ? this.hintedCache : this.cache;
    const cached = cache.get(obj);
    if (cached) return cached;
    let out = obj;
    if (this.policy.secrets && (secretHint || isSecret(obj))) {
      out = replaceAtPath(out, ['data'], redactMapValues) as KubernetesObject;
      out = replaceAtPath(out, ['stringData'], redactMapValues) as KubernetesObject;
      out = replaceAtPath(out, ['metadata', 'annotations', LAST_APPLIED], redactValue) as KubernetesObject;
    }
    for (const rule of this.rules) {
      if (rule.kind && obj.kind !== rule.kind) continue;
      if (rule.apiVersion && obj.apiVersion !== rule.apiVersion) continue;
      out = replaceAtPath(out, rule.segments, redactValue) as KubernetesObject;
    }
    cache.set(obj, out);
    return out;
  }

  /** `text` with credentials replaced. */
  text(text: string): string {
    if (!this.policy.tokens || typeof text !== 'string') return text;
    let out = text;
    for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** A poison line as recorded: lines of a Secret watch are replaced whole (they may be a Secret cut short). */
  poisonText(text: string, secret: boolean): string {
    return secret && this.policy.secrets ? `${REDACTED} (a line of a Secret watch)` : this.text(text);
  }

  /** A kates action with the objects and texts it carries redacted; other actions only lose credentials in texts. */
  action<A extends UnknownAction>(action: A): A {
    if (!this.active) return action;
    const p = (action as { payload?: Record<string, unknown> }).payload;
    if (!p || typeof p !== 'object') return action;
    const secret = isSecretKey((p.key ?? p.groupKind) as string | undefined);
    const withPayload = (payload: Record<string, unknown>) => ({ ...action, payload }) as A;
    switch (action.type) {
      case 'kates/listPage':
        return withPayload({
          ...p,
          items: (p.items as KubernetesObject[]).map((o) => this.object(o, secret)),
        });
      case 'kates/watchEvents':
        return withPayload({
          ...p,
          events: (p.events as { type: string; object: KubernetesObject }[]).map((e) => ({
            ...e,
            object: this.object(e.object, secret),
          })),
        });
      case 'kates/localWrite':
        return withPayload({ ...p, object: this.object(p.object as KubernetesObject, secret) });
      case 'kates/poisonLine':
        return withPayload({ ...p, text: this.poisonText(p.text as string, secret) });
      case 'kates/reflectorStatus':
      case 'kates/queryFailed': {
        const error = p.error as { message?: string } | null | undefined;
        if (!error?.message) return action;
        return withPayload({ ...p, error: { ...error, message: this.text(error.message) } });
      }
      default:
        if (action.type.startsWith('kates/')) return action;
        return this.policy.tokens ? (JSON.parse(this.text(JSON.stringify(action))) as A) : action;
    }
  }
}
