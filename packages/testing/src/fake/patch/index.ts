import { errors } from '../status.js';
import { applyJsonPatch, JsonPatchApplyError, JsonPatchDecodeError } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** The PATCH content types the apiserver accepts. */
export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/**
 * Applies a merge, JSON or strategic merge patch to an object, answering failures as the
 * apiserver does: 415 for an unknown type (and strategic merge on custom resources, which have no
 * patch strategies), 400 for a body that does not decode, 422 for a JSON patch that does not apply.
 */
export function patchObject(type: string, current: unknown, text: string, custom: boolean): unknown {
  if (type !== PATCH_TYPES.merge && type !== PATCH_TYPES.json && type !== PATCH_TYPES.strategic) {
    throw errors.unsupportedMediaType();
  }
  if (type === PATCH_TYPES.strategic && custom) {
    throw errors.unsupportedMediaType(
      'the body of the request was in an unknown format - accepted media types include: ' +
        `${PATCH_TYPES.json}, ${PATCH_TYPES.merge}, ${PATCH_TYPES.apply}`,
    );
  }
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  try {
    if (type === PATCH_TYPES.json) return applyJsonPatch(current, patch);
    if (type === PATCH_TYPES.merge) return applyMergePatch(current, patch);
    return applyStrategicMergePatch(current, patch);
  } catch (e) {
    if (e instanceof JsonPatchDecodeError) throw errors.badRequest(e.message);
    if (e instanceof JsonPatchApplyError) throw errors.invalidRequest();
    throw e;
  }
}
