/**
 * The tag of a container image as the kubelet's image parser reads it (`nginx:1.27` is `1.27`;
 * `nginx` is `latest`; `nginx@sha256:...` has none; a registry port is not a tag).
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return name.slice(colon + 1);
  return at < 0 ? 'latest' : '';
}

/** A container's default `imagePullPolicy`: Always for `latest` (named or implied), else IfNotPresent. */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return typeof image === 'string' && imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}
