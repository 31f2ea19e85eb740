/**
 * A kind name that discovery does not know, after a refresh. The message names the closest
 * names the server does serve and says where to look.
 */
export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
  /** Always true: the kind is not served (yet). Accumulator queries wait for it rather than fail. */
  readonly unserved = true;
  constructor(
    /** The name as given: `svcs`, `Widget.v2.example.com`. */
    readonly kindName: string,
    /** The closest names the server serves, best first. */
    readonly suggestions: readonly string[],
    /** Groups whose discovery failed, where the name might be served. */
    readonly unavailableGroups: readonly string[] = [],
    why = 'the server has no resource type by that name',
  ) {
    const meant = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
    const unavailable = unavailableGroups.length
      ? ` Discovery failed for ${unavailableGroups.join(', ')}, which may serve it.`
      : '';
    super(
      `unknown kind "${kindName}": ${why}.${meant}${unavailable} Run \`kubectl api-resources\` to list what the ` +
        'server serves; a CRD created just now resolves once it is Established.',
    );
  }
}
