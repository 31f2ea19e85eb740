/**
 * The operators of Kubernetes label and field selectors (k8s.io/apimachinery `selection.Operator`,
 * without `Gt`/`Lt`, which the apiserver only accepts for node affinity, never in `?labelSelector=`).
 * `a==b` parses to `Equals` like `a=b`: the apiserver treats them the same.
 */
export type SelectorOperator = 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/**
 * One term of a selector: `key`, `operator`, and the values it compares with (one for
 * `Equals`/`NotEquals`, at least one for `In`/`NotIn`, none for `Exists`/`DoesNotExist`).
 * Values are sorted and distinct, so two equal requirements are deeply equal.
 */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/**
 * A parsed selector: requirements that must all match (AND). The empty selector matches
 * everything. Requirements are sorted by key, then operator, then values (see {@link formatSelector}).
 */
export type Selector = readonly Requirement[];

/** `metav1.LabelSelector` as JSON: how Deployments, Services and NetworkPolicies spell a selector. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/**
 * A selector the apiserver would refuse. `selector` is the input (as JSON for object forms),
 * `position` the index in it where the problem starts (0 for object forms, whose message names
 * the field instead). The message says what is wrong, where, and shows the accepted syntax.
 */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
  constructor(
    message: string,
    readonly selector: string,
    readonly position: number,
  ) {
    super(message);
  }
}
