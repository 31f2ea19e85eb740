import { readFileSync } from 'node:fs';
import { parseManifests } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { siteCrd } from './site.js';

const manifest = (file: string) =>
  parseManifests(readFileSync(new URL(`../deploy/${file}`, import.meta.url), 'utf8'), { source: file });

describe('the manifests of the sites controller', () => {
  it('install the very CRD the controller serves', () => {
    expect(manifest('crd.yaml')).toEqual([siteCrd]);
  });

  it('run two replicas under the controller ServiceAccount, with probes on the metrics port and time to shut down', () => {
    const [deployment, service] = manifest('deployment.yaml');
    expect(deployment?.spec.replicas).toBe(2);
    const pod = deployment?.spec.template.spec;
    expect(pod.serviceAccountName).toBe('sites-controller');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
    const [container] = pod.containers;
    expect(container.args).toContain('--leader-elect');
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(service?.spec.ports[0].targetPort).toBe('metrics');
  });
});
