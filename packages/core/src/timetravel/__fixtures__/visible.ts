import type { KatesState } from '../../store/state.js';
import { Redactor } from '../redact.js';
import { accumulatorsOf, snapshotOf } from '../snapshot.js';

/**
 * What the consumers of a state can see, as redacted JSON: each accumulator's snapshot fields and
 * statuses. This is what a recording keeps: Secrets lose their values, texts their credentials.
 */
export function visible(state: KatesState): string {
  const r = new Redactor();
  const out: Record<string, unknown> = {};
  for (const acc of accumulatorsOf(state).keys()) {
    const s = snapshotOf(state, acc);
    const secret = (name: string) => state.queries[`${acc}/${name}`]?.groupKind === 'Secret';
    out[acc] = {
      snapshot: Object.fromEntries(
        Object.entries(s.snapshot).map(([k, items]) => [k, items.map((o) => r.object(o))]),
      ),
      status: Object.fromEntries(
        Object.entries(s.status).map(([k, st]) => [
          k,
          {
            ...st,
            error: st.error && { ...st.error, message: r.text(st.error.message) },
            lastPoisonLine: st.lastPoisonLine && r.poisonText(st.lastPoisonLine, secret(k)),
          },
        ]),
      ),
    };
  }
  return JSON.stringify(out);
}
