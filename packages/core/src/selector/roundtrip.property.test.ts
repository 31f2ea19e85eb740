import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSelector } from './format.js';
import { parseFieldSelector, parseLabelSelector } from './parse.js';
import { type Selector, SelectorError } from './types.js';

// Strings over the characters that matter to the grammars, so that random input often parses.
const grammarChar = fc.constantFrom(
  'a',
  'b',
  'x',
  'i',
  'n',
  'o',
  't',
  '1',
  'A',
  '-',
  '.',
  '_',
  '/',
  '=',
  '!',
  '(',
  ')',
  ',',
  ' ',
  '\\',
  '>',
);
const grammarString = fc.string({ unit: grammarChar, maxLength: 30 });
const anyString = fc.oneof(grammarString, fc.string({ unit: 'binary', maxLength: 30 }));

const namePart = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/);
const labelKey = fc.oneof(
  namePart,
  fc
    .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,5}[a-z0-9])?(\.[a-z]{1,4})?$/), namePart)
    .map(([p, n]) => `${p}/${n}`),
);
const labelValue = fc.oneof(fc.constant(''), namePart);
const labelRequirement = fc.oneof(
  fc.tuple(labelKey, fc.constantFrom('=', '==', '!='), labelValue).map(([k, op, v]) => `${k}${op}${v}`),
  fc
    .tuple(labelKey, fc.constantFrom('in', 'notin'), fc.array(labelValue, { minLength: 1, maxLength: 4 }))
    .map(([k, op, vs]) => `${k} ${op} (${vs.join(',')})`),
  labelKey,
  labelKey.map((k) => `!${k}`),
);
const labelSelectorString = fc.array(labelRequirement, { maxLength: 5 }).map((rs) => rs.join(','));

const fieldValue = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', '-', ',', '=', '\\', '(', '!'),
  maxLength: 8,
});
const fieldSelectorObject = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,6}(\.[a-zA-Z]{1,6}){0,2}$/),
  fieldValue,
  { maxKeys: 4 },
);

function roundTrips(parse: (s: string) => Selector, input: string): void {
  let parsed: Selector;
  try {
    parsed = parse(input);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    expect(e.position).toBeGreaterThanOrEqual(0);
    expect(e.position).toBeLessThanOrEqual(input.length);
    return;
  }
  expect(parse(formatSelector(parsed))).toEqual(parsed);
}

describe('selector round trips', () => {
  it('parses any string to a label selector that formats and parses back equal, or throws SelectorError', () => {
    fc.assert(
      fc.property(anyString, (s) => roundTrips(parseLabelSelector, s)),
      { numRuns: 5000 },
    );
  });

  it('parses any string to a field selector that formats and parses back equal, or throws SelectorError', () => {
    fc.assert(
      fc.property(anyString, (s) => roundTrips(parseFieldSelector, s)),
      { numRuns: 5000 },
    );
  });

  it('round-trips every well-formed label selector', () => {
    fc.assert(
      fc.property(labelSelectorString, (s) => {
        const parsed = parseLabelSelector(s);
        expect(parseLabelSelector(formatSelector(parsed))).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips field selectors whose values need escaping', () => {
    fc.assert(
      fc.property(fieldSelectorObject, (o) => {
        const parsed = parseFieldSelector(o);
        expect(parseFieldSelector(formatSelector(parsed))).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });
});
