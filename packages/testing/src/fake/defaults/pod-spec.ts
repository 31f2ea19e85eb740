import { isObject, type JsonObject } from '../json.js';
import { defaultPullPolicy } from './image.js';
import { canonicalizeResourceList } from './quantity.js';
import { defaultString, defaultValue, items, struct } from './set.js';

/**
 * The defaults of core/v1 PodSpec and what it nests, as the apiserver's generated defaulters set
 * them (pkg/apis/core/v1/defaults.go), wherever a PodSpec is written: Pods, PodTemplates and the
 * pod templates of every workload.
 */

const VOLUME_MODE = 420; // 0644, the default file mode of projected keys

function defaultHttpGet(handler: unknown): void {
  if (!isObject(handler) || !isObject(handler.httpGet)) return;
  defaultString(handler.httpGet, 'path', '/');
  defaultString(handler.httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  defaultHttpGet(probe);
  defaultValue(probe, 'timeoutSeconds', 1);
  defaultValue(probe, 'periodSeconds', 10);
  defaultValue(probe, 'successThreshold', 1);
  defaultValue(probe, 'failureThreshold', 3);
}

function defaultContainer(c: JsonObject, hostNetwork: boolean): void {
  for (const port of items(c, 'ports')) {
    defaultString(port, 'protocol', 'TCP');
    // With the host's network a container port is the host port (SetDefaults_PodSpec).
    if (hostNetwork) defaultValue(port, 'hostPort', port.containerPort);
  }
  for (const env of items(c, 'env')) {
    const ref = isObject(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
    if (isObject(ref)) defaultString(ref, 'apiVersion', 'v1');
  }
  // ResourceRequirements is a struct, not a pointer: Go always writes it, `{}` when empty.
  const resources = struct(c, 'resources');
  canonicalizeResourceList(resources.limits);
  canonicalizeResourceList(resources.requests);
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[key]);
  if (isObject(c.lifecycle)) for (const key of ['postStart', 'preStop']) defaultHttpGet(c.lifecycle[key]);
  defaultString(c, 'terminationMessagePath', '/dev/termination-log');
  defaultString(c, 'terminationMessagePolicy', 'File');
  defaultString(c, 'imagePullPolicy', defaultPullPolicy(c.image));
}

const MODE_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'];

function defaultVolume(v: JsonObject): void {
  // A volume that names no source is an emptyDir (SetDefaults_Volume).
  if (Object.keys(v).every((k) => k === 'name')) v.emptyDir = {};
  for (const source of MODE_SOURCES)
    if (isObject(v[source])) defaultValue(v[source], 'defaultMode', VOLUME_MODE);
  if (isObject(v.hostPath)) defaultValue(v.hostPath, 'type', '');
}

/** Defaults a PodSpec in place: a pod template's, or a Pod's own (`pod`: what only Pods get). */
export function defaultPodSpec(spec: JsonObject, pod = false): void {
  const hostNetwork = spec.hostNetwork === true;
  for (const v of items(spec, 'volumes')) defaultVolume(v);
  for (const key of ['initContainers', 'containers', 'ephemeralContainers'])
    for (const c of items(spec, key)) defaultContainer(c, hostNetwork);
  defaultString(spec, 'restartPolicy', 'Always');
  defaultValue(spec, 'terminationGracePeriodSeconds', 30);
  defaultString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultValue(spec, 'securityContext', {});
  defaultString(spec, 'schedulerName', 'default-scheduler');
  if (pod) defaultValue(spec, 'enableServiceLinks', true);
}

/** Defaults the pod template at `owner[key]` (`template`), if there is one. */
export function defaultPodTemplate(owner: unknown, key = 'template'): void {
  if (!isObject(owner)) return;
  const template = owner[key];
  if (!isObject(template)) return;
  // Its metadata and spec are structs, which Go writes even empty (`metadata: {}`); a template
  // without a spec is defaulted, and then found invalid.
  struct(template, 'metadata');
  defaultPodSpec(struct(template, 'spec'));
}
