import { InvalidInputError } from '@kates/core';

/**
 * One named check behind `/healthz` or `/readyz`: returns (or resolves) when it passes, throws (or
 * rejects) with a message saying what is wrong when it fails, as controller-runtime's
 * `healthz.Checker`. Messages are served over HTTP: never put a credential in one.
 */
export type Check = () => void | Promise<void>;

/** The result of one check. */
export interface CheckReport {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed. */
  readonly message?: string;
}

/** The result of a probe: all its checks (or the one asked for). */
export interface ProbeReport {
  readonly ok: boolean;
  readonly checks: readonly CheckReport[];
}

/** Which endpoint a check serves. */
export type ProbeKind = 'healthz' | 'readyz';

const CHECK_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The named checks of `/healthz` (liveness: restart me when it fails) and `/readyz` (readiness:
 * send me no traffic, and count me as not yet rolled out, while it fails). A probe passes when every
 * check passes; a check that takes longer than `timeoutMs` fails.
 */
export class Probes {
  private readonly checks: Record<ProbeKind, Map<string, Check>> = { healthz: new Map(), readyz: new Map() };

  constructor(private readonly timeoutMs = 5000) {}

  /** Adds a liveness check: failing it should get the process restarted. */
  addHealthCheck(name: string, check: Check): this {
    return this.add('healthz', name, check);
  }

  /** Adds a readiness check: failing it keeps the process out of rotation, without a restart. */
  addReadyCheck(name: string, check: Check): this {
    return this.add('readyz', name, check);
  }

  /** The names of the checks of a probe, in the order they were added. */
  names(kind: ProbeKind): string[] {
    return [...this.checks[kind].keys()];
  }

  /**
   * Runs the checks of a probe, all at once: every check, or only `only`, less those in `exclude`.
   * Returns undefined when `only` names no check.
   */
  async run(
    kind: ProbeKind,
    options: { only?: string; exclude?: readonly string[] } = {},
  ): Promise<ProbeReport | undefined> {
    const all = [...this.checks[kind]];
    const chosen = options.only
      ? all.filter(([name]) => name === options.only)
      : all.filter(([name]) => !options.exclude?.includes(name));
    if (options.only && chosen.length === 0) return undefined;
    const checks = await Promise.all(chosen.map(([name, check]) => this.runOne(name, check)));
    return { ok: checks.every((c) => c.ok), checks };
  }

  private async runOne(name: string, check: Check): Promise<CheckReport> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`did not answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return { name, ok: true };
    } catch (e) {
      return { name, ok: false, message: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
    }
  }

  private add(kind: ProbeKind, name: string, check: Check): this {
    if (!CHECK_NAME.test(name)) {
      throw new InvalidInputError(
        `${kind} check name ${JSON.stringify(name)} is not valid: use lowercase letters, digits and "-" ` +
          `(it is served as /${kind}/<name>)`,
        kind,
        'name',
      );
    }
    if (this.checks[kind].has(name)) {
      throw new InvalidInputError(`${kind} already has a check named "${name}"`, kind, 'name');
    }
    if (typeof check !== 'function') {
      throw new InvalidInputError(`${kind} check "${name}" must be a function`, kind, 'check');
    }
    this.checks[kind].set(name, check);
    return this;
  }
}
