/**
 * Label key and value rules of the apiserver (k8s.io/apimachinery/pkg/util/validation
 * `IsQualifiedName`, `IsValidLabelValue`), shared by the selector parser and the fake API server,
 * so that both refuse exactly what a real cluster refuses. Each returns a reason, or undefined.
 */

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";

/** Why `key` is not a valid label key (`[prefix/]name`, name at most 63 characters), or undefined. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return (
        "prefix part must be a lowercase DNS-1123 subdomain: lowercase alphanumeric characters, '-' or '.', " +
        "starting and ending with an alphanumeric character (e.g. 'example.com')"
      );
    }
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_PART.test(name)) return `name part ${NAME_PART_RULE}`;
  return undefined;
}

/** Why `value` is not a valid label value (empty, or at most 63 characters of the name rule), or undefined. */
export function labelValueError(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!NAME_PART.test(value)) return `must be an empty string or ${NAME_PART_RULE.replace('must ', '')}`;
  return undefined;
}
