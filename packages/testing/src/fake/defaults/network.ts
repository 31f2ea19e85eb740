import { isObject, type JsonObject } from '../json.js';
import { defaultString, items, struct } from './set.js';

/** networking/v1 NetworkPolicy: each rule port's protocol, and policyTypes from the rules given. */
export function defaultNetworkPolicy(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  for (const direction of ['ingress', 'egress'])
    for (const rule of items(spec, direction))
      for (const port of items(rule, 'ports')) defaultString(port, 'protocol', 'TCP');
  const types = spec.policyTypes;
  if (Array.isArray(types) && types.length > 0) return;
  // Ingress always; Egress when the policy has egress rules.
  spec.policyTypes =
    Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** core/v1 Endpoints: each subset port's protocol. */
export function defaultEndpoints(obj: JsonObject): void {
  for (const subset of items(obj, 'subsets'))
    for (const port of items(subset, 'ports')) if (isObject(port)) defaultString(port, 'protocol', 'TCP');
}
