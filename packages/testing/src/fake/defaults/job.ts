import { isObject, type JsonObject } from '../json.js';
import { defaultPodTemplate } from './pod-spec.js';
import { defaultString, defaultValue, struct } from './set.js';

/**
 * batch/v1 Job: its defaults on every write, and on create the selector the job registry
 * generates from the Job's uid (unless `manualSelector`), with the labels that go with it.
 */

function templateLabels(spec: JsonObject): JsonObject | undefined {
  const template = spec.template;
  const meta = isObject(template) ? template.metadata : undefined;
  return isObject(meta) && isObject(meta.labels) ? meta.labels : undefined;
}

function generateSelector(obj: JsonObject, spec: JsonObject): void {
  const meta = struct(obj, 'metadata');
  const uid = String(meta.uid ?? '');
  const name = String(meta.name ?? '');
  // A selector the client sent is kept (and refused by validation, as the apiserver does).
  spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const templateMeta = struct(struct(spec, 'template'), 'metadata');
  templateMeta.labels = {
    ...(isObject(templateMeta.labels) ? templateMeta.labels : {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

/** Defaults a Job in place (`creating`: a create, which also generates its selector). */
export function defaultJob(obj: JsonObject, creating: boolean): void {
  const spec = struct(obj, 'spec');
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  defaultValue(spec, 'parallelism', 1);
  defaultValue(spec, 'backoffLimit', spec.backoffLimitPerIndex == null ? 6 : 2147483647);
  defaultString(spec, 'completionMode', 'NonIndexed');
  defaultValue(spec, 'suspend', false);
  defaultString(
    spec,
    'podReplacementPolicy',
    spec.podFailurePolicy == null ? 'TerminatingOrFailed' : 'Failed',
  );
  defaultValue(spec, 'manualSelector', false);
  if (creating && spec.manualSelector !== true) generateSelector(obj, spec);
  // A Job without labels of its own takes its pod template's.
  const labels = templateLabels(spec);
  const meta = struct(obj, 'metadata');
  if (labels && (!isObject(meta.labels) || Object.keys(meta.labels).length === 0))
    meta.labels = { ...labels };
  defaultPodTemplate(spec);
}
