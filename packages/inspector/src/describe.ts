import type { KubernetesObject, RecordedAction } from '@kates/core/browser';
import { nameOf } from '@kates/core/browser';

/** `ns/name@rv`: how the inspector names an object. */
export function label(obj: KubernetesObject | undefined): string {
  if (!obj) return '?';
  return `${nameOf(obj)}@${obj.metadata?.resourceVersion ?? ''}`;
}

/** One line saying what an action did, for the timeline and the action panel. */
export function summarize(recorded: RecordedAction): string {
  const { type } = recorded.action;
  const p = (recorded.action.payload ?? {}) as Record<string, unknown>;
  const short = type.replace(/^kates\//, '');
  switch (type) {
    case 'kates/watchEvents': {
      const events = p.events as { type: string; object: KubernetesObject }[];
      const shown = events
        .slice(0, 3)
        .map((e) =>
          e.type === 'BOOKMARK'
            ? `BOOKMARK@${e.object.metadata?.resourceVersion}`
            : `${e.type} ${label(e.object)}`,
        );
      return `${short} ${p.key}: ${shown.join(', ')}${events.length > 3 ? ` and ${events.length - 3} more` : ''}`;
    }
    case 'kates/listPage':
      return `${short} ${p.key}: ${(p.items as unknown[]).length} objects`;
    case 'kates/localWrite':
      return `${short} ${p.verb} ${p.groupKind} ${label(p.object as KubernetesObject)}${p.deleted ? ' (deleted)' : ''}`;
    case 'kates/reflectorStatus': {
      const error = p.error as { message?: string } | null | undefined;
      return `${short} ${p.key} → ${p.phase}${error?.message ? `: ${error.message}` : ''}`;
    }
    case 'kates/queryFailed':
      return `${short} ${p.id} → ${p.phase}: ${(p.error as { message?: string }).message ?? ''}`;
    case 'kates/poisonLine':
      return `${short} ${p.key}: ${String(p.text).slice(0, 80)}`;
    default:
      return `${short} ${String(p.key ?? p.id ?? '')}`.trim();
  }
}

/** Whether an action reports a failure: the steps "next error" jumps to. */
export function isError(recorded: RecordedAction): boolean {
  const { type } = recorded.action;
  const p = (recorded.action.payload ?? {}) as Record<string, unknown>;
  if (type === 'kates/queryFailed' || type === 'kates/poisonLine') return true;
  return type === 'kates/reflectorStatus' && !!p.error;
}
