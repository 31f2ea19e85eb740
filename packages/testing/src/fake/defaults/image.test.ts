import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, imageTag } from './image.js';

describe('a container image', () => {
  it('is tagged latest when it names no tag and no digest', () => {
    expect(imageTag('nginx')).toBe('latest');
    expect(imageTag('localhost:5000/team/nginx')).toBe('latest');
    expect(imageTag('nginx:1.27')).toBe('1.27');
    expect(imageTag('localhost:5000/nginx:1.27')).toBe('1.27');
    expect(imageTag(`nginx@sha256:${'a'.repeat(64)}`)).toBe('');
    expect(imageTag(`nginx:1.27@sha256:${'a'.repeat(64)}`)).toBe('1.27');
  });

  it('is pulled Always when latest, IfNotPresent otherwise, as the apiserver defaults it', () => {
    expect(defaultPullPolicy('busybox')).toBe('Always');
    expect(defaultPullPolicy('busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('busybox:1.36')).toBe('IfNotPresent');
    expect(defaultPullPolicy(`busybox@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
    expect(defaultPullPolicy(undefined)).toBe('IfNotPresent');
  });
});
