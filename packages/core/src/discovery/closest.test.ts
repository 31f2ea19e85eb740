import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog.js';
import { closestNames, editDistance } from './closest.js';
import type { ResourceType } from './types.js';

const rt = (group: string, resource: string, kind: string, shortNames: string[] = []): ResourceType => ({
  group,
  version: 'v1',
  resource,
  kind,
  namespaced: true,
  verbs: ['get'],
  shortNames,
  singularName: kind.toLowerCase(),
});

const catalog = buildCatalog(
  [
    {
      name: '',
      versions: [
        { version: 'v1', resources: [rt('', 'services', 'Service', ['svc']), rt('', 'pods', 'Pod', ['po'])] },
      ],
    },
    {
      name: 'apps',
      versions: [{ version: 'v1', resources: [rt('apps', 'deployments', 'Deployment', ['deploy'])] }],
    },
  ],
  { unavailable: [], source: 'aggregated', requests: 0 },
);

describe('closest names', () => {
  it('measures edit distance, and stops early past the limit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });

  it('suggests a kind for a misspelling, counting a kind and its singular once', () => {
    expect(closestNames(catalog, 'Deploymnet')).toEqual(['Deployment']);
    expect(closestNames(catalog, 'servce')).toEqual(['Service', 'services']);
  });

  it('suggests short names close to the input', () => {
    expect(closestNames(catalog, 'svcs')).toEqual(['svc']);
    expect(closestNames(catalog, 'deplyo')).toEqual(['deploy']);
  });

  it('suggests the qualified resource when the first segment is a served name', () => {
    expect(closestNames(catalog, 'deployment.apps.v1')).toContain('deployments.apps');
  });

  it('suggests nothing for a name far from every served name', () => {
    expect(closestNames(catalog, 'zzzzzzzzzz')).toEqual([]);
  });
});
