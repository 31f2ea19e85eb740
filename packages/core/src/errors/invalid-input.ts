/**
 * A request refused before it was sent: no name, no kind, no apiVersion, a namespace where none
 * can be. The message names the kind and the field, and says what to set.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    /** The verb that was refused. */
    readonly verb: string,
    /** The field that is missing or wrong, such as `metadata.name`. */
    readonly field: string,
  ) {
    super(message);
  }
}
