import type { JsonObject } from '../json.js';
import { defaultString, struct } from './set.js';

/** core/v1 PersistentVolume and PersistentVolumeClaim defaults: reclaim policy and volume mode. */
export function defaultPersistentVolume(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  defaultString(spec, 'volumeMode', 'Filesystem');
  const hostPath = spec.hostPath;
  if (hostPath !== null && typeof hostPath === 'object' && !Array.isArray(hostPath))
    (hostPath as JsonObject).type ??= '';
}

/** A claim's volume mode is Filesystem unless it asks for a Block device. */
export function defaultPersistentVolumeClaim(obj: JsonObject): void {
  defaultString(struct(obj, 'spec'), 'volumeMode', 'Filesystem');
}

/** storage/v1 StorageClass: volumes are deleted with their claim and bound at once, unless it says so. */
export function defaultStorageClass(obj: JsonObject): void {
  defaultString(obj, 'reclaimPolicy', 'Delete');
  defaultString(obj, 'volumeBindingMode', 'Immediate');
}
