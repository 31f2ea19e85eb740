import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels } from './match.js';
import { parseFieldSelector, parseLabelSelector } from './parse.js';

const labels = (s: string, l?: Record<string, string>) => matchesLabels(parseLabelSelector(s), l);

describe('matchesLabels', () => {
  it('matches everything with the empty selector, even objects without labels', () => {
    expect(labels('', undefined)).toBe(true);
    expect(labels('', { a: 'b' })).toBe(true);
  });

  it('matches equality only when the label is present with that value', () => {
    expect(labels('a=b', { a: 'b' })).toBe(true);
    expect(labels('a=b', { a: 'c' })).toBe(false);
    expect(labels('a=b', {})).toBe(false);
    expect(labels('a=', { a: '' })).toBe(true);
    expect(labels('a=', {})).toBe(false);
  });

  it('matches != and notin on objects without the label, as the apiserver does', () => {
    expect(labels('a!=b', undefined)).toBe(true);
    expect(labels('a!=b', { a: 'c' })).toBe(true);
    expect(labels('a!=b', { a: 'b' })).toBe(false);
    expect(labels('a notin (x,y)', {})).toBe(true);
    expect(labels('a notin (x,y)', { a: 'y' })).toBe(false);
  });

  it('matches in, exists and does-not-exist', () => {
    expect(labels('a in (x,y)', { a: 'x' })).toBe(true);
    expect(labels('a in (x,y)', {})).toBe(false);
    expect(labels('a', { a: '' })).toBe(true);
    expect(labels('a', {})).toBe(false);
    expect(labels('!a', {})).toBe(true);
    expect(labels('!a', { a: 'x' })).toBe(false);
  });

  it('ANDs requirements', () => {
    expect(labels('a=1,b!=2', { a: '1', b: '3' })).toBe(true);
    expect(labels('a=1,b!=2', { a: '1', b: '2' })).toBe(false);
  });

  it('does not see inherited properties as labels', () => {
    expect(labels('toString', {})).toBe(false);
  });
});

describe('matchesFields', () => {
  const pod = {
    metadata: { name: 'web', namespace: 'prod' },
    spec: { replicas: 2, ready: true },
    status: { phase: 'Running' },
  };

  it('looks fields up by dotted path', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=web,status.phase=Running'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.namespace!=prod'), pod)).toBe(false);
  });

  it('reads numbers and booleans as text', () => {
    expect(matchesFields(parseFieldSelector('spec.replicas=2,spec.ready=true'), pod)).toBe(true);
  });

  it('treats a missing field as the empty string', () => {
    expect(matchesFields(parseFieldSelector('spec.nodeName='), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName!=node-1'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName=node-1'), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector('a.b.c='), {})).toBe(true);
  });

  it('compares unescaped values', () => {
    expect(matchesFields(parseFieldSelector('reason=a\\,b'), { reason: 'a,b' })).toBe(true);
  });
});
