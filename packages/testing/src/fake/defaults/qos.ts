import { isObject, type JsonObject } from '../json.js';
import { items } from './set.js';

const QOS_RESOURCES = ['cpu', 'memory'];

/**
 * A Pod's quality of service class as the apiserver computes it on create (from cpu and memory):
 * BestEffort with no requests or limits, Guaranteed when every container limits both and requests
 * what it limits, Burstable otherwise. Quantities are compared as written.
 */
export function qosClass(spec: JsonObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers = [...items(spec, 'initContainers'), ...items(spec, 'containers')];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const resources = isObject(c.resources) ? c.resources : {};
    const limits = isObject(resources.limits) ? resources.limits : {};
    const requests = isObject(resources.requests) ? resources.requests : {};
    for (const r of QOS_RESOURCES) {
      if (limits[r] !== undefined || requests[r] !== undefined) any = true;
      if (limits[r] === undefined || String(requests[r] ?? limits[r]) !== String(limits[r]))
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
