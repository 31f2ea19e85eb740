import { canonicalSelector, requirement } from './canonical.js';
import { type LabelSelectorObject, type Requirement, type Selector, SelectorError } from './types.js';
import { labelKeyError, labelValueError } from './validation.js';

const LABEL_SYNTAX =
  'Label selector syntax: key=value, key==value, key!=value, key in (v1,v2), key notin (v1,v2), ' +
  "key (exists), !key (does not exist), joined by ','; keys are [prefix/]name, e.g. app.kubernetes.io/name=web";
const FIELD_SYNTAX =
  "Field selector syntax: field=value, field==value, field!=value, joined by ','; escape '\\', ',' " +
  "and '=' in values with a backslash, e.g. metadata.name=web,status.phase!=Running";

/** A token of the label selector lexer (k8s.io/apimachinery/pkg/labels `Lexer`). */
interface Token {
  readonly kind: 'identifier' | 'symbol' | 'end';
  readonly text: string;
  readonly position: number;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
// Longest match first, as the apiserver's lexer scans `!=` and `==` before `!` and `=`.
const SYMBOLS = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const symbol = SYMBOLS.find((s) => input.startsWith(s, i)) ?? ch;
      tokens.push({ kind: 'symbol', text: symbol, position: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < input.length && !WHITESPACE.has(input.charAt(i)) && !SPECIAL.has(input.charAt(i))) i++;
    tokens.push({ kind: 'identifier', text: input.slice(start, i), position: start });
  }
  tokens.push({ kind: 'end', text: '', position: input.length });
  return tokens;
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of string' : `'${t.text}'`;
}

/** Parses the kubectl/apiserver string syntax of label selectors, token by token. */
class LabelSelectorParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly input: string) {
    this.tokens = tokenize(input);
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.index++;
    return t;
  }

  private fail(position: number, what: string): never {
    throw new SelectorError(
      `label selector ${JSON.stringify(this.input)} is invalid at position ${position}: ${what}. ` +
        LABEL_SYNTAX,
      this.input,
      position,
    );
  }

  private isSymbol(t: Token, text: string): boolean {
    return t.kind === 'symbol' && t.text === text;
  }

  parse(): Selector {
    const requirements: Requirement[] = [];
    if (this.peek().kind === 'end') return canonicalSelector(requirements);
    for (;;) {
      requirements.push(this.parseRequirement());
      const t = this.next();
      if (t.kind === 'end') return canonicalSelector(requirements);
      if (!this.isSymbol(t, ','))
        this.fail(t.position, `found ${describe(t)}, expected ',' or end of string`);
      const after = this.peek();
      if (after.kind !== 'identifier' && !this.isSymbol(after, '!')) {
        this.fail(after.position, `found ${describe(after)}, expected a key or '!key' after ','`);
      }
    }
  }

  private parseKey(t: Token): string {
    if (t.kind !== 'identifier') this.fail(t.position, `found ${describe(t)}, expected a key`);
    const problem = labelKeyError(t.text);
    if (problem) this.fail(t.position, `key '${t.text}' is not a valid label key: ${problem}`);
    return t.text;
  }

  private parseValue(t: Token): string {
    const problem = labelValueError(t.text);
    if (problem) this.fail(t.position, `value '${t.text}' is not a valid label value: ${problem}`);
    return t.text;
  }

  private parseRequirement(): Requirement {
    let t = this.next();
    if (this.isSymbol(t, '!')) {
      const key = this.parseKey(this.next());
      return requirement(key, 'DoesNotExist', []);
    }
    const key = this.parseKey(t);
    const after = this.peek();
    if (after.kind === 'end' || this.isSymbol(after, ',')) return requirement(key, 'Exists', []);
    t = this.next();
    if (t.kind === 'identifier' && (t.text === 'in' || t.text === 'notin')) {
      return requirement(key, t.text === 'in' ? 'In' : 'NotIn', this.parseValueSet());
    }
    if (this.isSymbol(t, '=') || this.isSymbol(t, '==') || this.isSymbol(t, '!=')) {
      return requirement(key, t.text === '!=' ? 'NotEquals' : 'Equals', [this.parseExactValue()]);
    }
    if (this.isSymbol(t, '>') || this.isSymbol(t, '<')) {
      this.fail(
        t.position,
        `operator '${t.text}' is not supported by kates (only by node affinity); use in/notin`,
      );
    }
    return this.fail(t.position, `found ${describe(t)}, expected an operator: =, ==, !=, in, notin`);
  }

  /** A value after `=`/`!=`; nothing before ',' or the end means the empty value, as in the apiserver. */
  private parseExactValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || this.isSymbol(t, ',')) return '';
    this.next();
    if (t.kind !== 'identifier') this.fail(t.position, `found ${describe(t)}, expected a value`);
    return this.parseValue(t);
  }

  /** `(v1, v2)`; empty items (`()`, `(a,)`) are the empty value, as in the apiserver. */
  private parseValueSet(): string[] {
    const open = this.next();
    if (!this.isSymbol(open, '(')) this.fail(open.position, `found ${describe(open)}, expected '('`);
    const values: string[] = [];
    let expectItem = true;
    for (;;) {
      const t = this.next();
      if (this.isSymbol(t, ')')) {
        if (expectItem) values.push('');
        return values;
      }
      if (this.isSymbol(t, ',')) {
        if (expectItem) values.push('');
        expectItem = true;
        continue;
      }
      if (t.kind === 'identifier' && expectItem) {
        values.push(this.parseValue(t));
        expectItem = false;
        continue;
      }
      this.fail(
        t.position,
        `found ${describe(t)}, expected ${expectItem ? "a value, ',' or ')'" : "',' or ')'"}`,
      );
    }
  }
}

function objectError(kind: 'label' | 'field', input: unknown, what: string): SelectorError {
  const text = JSON.stringify(input) ?? String(input);
  return new SelectorError(
    `${kind} selector ${text} is invalid: ${what}. ${kind === 'label' ? LABEL_SYNTAX : FIELD_SYNTAX}`,
    text,
    0,
  );
}

function parseLabelSelectorObject(input: LabelSelectorObject): Selector {
  // A plain label map (a Service's spec.selector) read as a LabelSelector would select everything.
  const unknown = Object.keys(input).filter((k) => k !== 'matchLabels' && k !== 'matchExpressions');
  if (unknown.length > 0)
    throw objectError(
      'label',
      input,
      `unknown field '${unknown[0]}': a LabelSelector has only matchLabels and ` +
        `matchExpressions; for a plain label map write { matchLabels: { ... } }`,
    );
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(input.matchLabels ?? {})) {
    const keyProblem = labelKeyError(key);
    if (keyProblem)
      throw objectError('label', input, `matchLabels key '${key}' is not a valid label key: ${keyProblem}`);
    if (typeof value !== 'string') throw objectError('label', input, `matchLabels.${key} must be a string`);
    const valueProblem = labelValueError(value);
    if (valueProblem)
      throw objectError('label', input, `matchLabels.${key} value '${value}' is invalid: ${valueProblem}`);
    requirements.push(requirement(key, 'Equals', [value]));
  }
  (input.matchExpressions ?? []).forEach((e, i) => {
    const where = `matchExpressions[${i}]`;
    const keyProblem = typeof e?.key === 'string' ? labelKeyError(e.key) : 'must be a string';
    if (keyProblem) throw objectError('label', input, `${where}.key is not a valid label key: ${keyProblem}`);
    const values = e.values ?? [];
    for (const v of values) {
      const problem = typeof v === 'string' ? labelValueError(v) : 'must be a string';
      if (problem)
        throw objectError('label', input, `${where}.values: '${String(v)}' is invalid: ${problem}`);
    }
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          throw objectError('label', input, `${where}.values must be non-empty for ${e.operator}`);
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          throw objectError('label', input, `${where}.values must be empty for ${e.operator}`);
        break;
      default:
        throw objectError(
          'label',
          input,
          `${where}.operator '${String(e.operator)}' is not one of In, NotIn, Exists, DoesNotExist`,
        );
    }
    requirements.push(requirement(e.key, e.operator, values));
  });
  return canonicalSelector(requirements);
}

/**
 * Parses a label selector as the apiserver does (k8s.io/apimachinery/pkg/labels `Parse`): the
 * kubectl string syntax, or a `metav1.LabelSelector` object. `undefined` and `''` select everything.
 * Keys and values are validated like object labels. Throws {@link SelectorError}, and nothing else.
 */
export function parseLabelSelector(input: string | LabelSelectorObject | undefined): Selector {
  if (input === undefined) return canonicalSelector([]);
  if (typeof input === 'string') return new LabelSelectorParser(input).parse();
  if (typeof input !== 'object' || input === null)
    throw objectError('label', input, 'expected a string or an object');
  return parseLabelSelectorObject(input);
}

/** Why `key` cannot be a field selector key, or undefined. The apiserver also refuses keys it does not index. */
function fieldKeyError(key: string): string | undefined {
  if (key.length === 0) return 'the field name is empty';
  if (/[\s,=!\\]/.test(key)) return `field name '${key}' must not contain whitespace, ',', '=', '!' or '\\'`;
  return undefined;
}

/**
 * Splits `field=value,...` on unescaped commas and the first operator of each term, then unescapes
 * the value (`\\`, `\,`, `\=`), exactly as k8s.io/apimachinery/pkg/fields `ParseSelector` does.
 */
function parseFieldSelectorString(input: string): Selector {
  const fail = (position: number, what: string): never => {
    throw new SelectorError(
      `field selector ${JSON.stringify(input)} is invalid at position ${position}: ${what}. ${FIELD_SYNTAX}`,
      input,
      position,
    );
  };
  const requirements: Requirement[] = [];
  const terms: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === ',') {
      terms.push({ text: input.slice(start, i), start });
      start = i + 1;
    }
  }
  terms.push({ text: input.slice(start), start });
  for (const { text, start: at } of terms) {
    if (text === '') continue;
    const m = /!=|==|=/.exec(text);
    if (!m) fail(at, `'${text}' has no operator; expected =, == or !=`);
    const opAt = (m as RegExpExecArray).index;
    const op = (m as RegExpExecArray)[0];
    const key = text.slice(0, opAt);
    const keyProblem = fieldKeyError(key);
    if (keyProblem) fail(at, keyProblem);
    const raw = text.slice(opAt + op.length);
    let value = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charAt(i);
      const position = at + opAt + op.length + i;
      if (c === '\\') {
        const escaped = raw.charAt(i + 1);
        if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
          fail(position, `invalid escape sequence '\\${escaped}'; only \\\\, \\, and \\= are allowed`);
        }
        value += escaped;
        i++;
      } else if (c === '=' || c === ',') {
        fail(position, `unescaped '${c}' in the value of '${key}'; write '\\${c}'`);
      } else value += c;
    }
    requirements.push(requirement(key, op === '!=' ? 'NotEquals' : 'Equals', [value]));
  }
  return canonicalSelector(requirements);
}

/**
 * Parses a field selector as the apiserver does (k8s.io/apimachinery/pkg/fields `ParseSelector`):
 * `=`, `==` and `!=` only, or an object of `field: value` equalities. `undefined` and `''` select
 * everything. Which fields a resource supports is the server's business (it answers 400 otherwise).
 */
export function parseFieldSelector(input: string | Record<string, string> | undefined): Selector {
  if (input === undefined) return canonicalSelector([]);
  if (typeof input === 'string') return parseFieldSelectorString(input);
  if (typeof input !== 'object' || input === null)
    throw objectError('field', input, 'expected a string or an object');
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(input)) {
    const problem = fieldKeyError(key);
    if (problem) throw objectError('field', input, problem);
    if (typeof value !== 'string')
      throw objectError('field', input, `the value of '${key}' must be a string`);
    requirements.push(requirement(key, 'Equals', [value]));
  }
  return canonicalSelector(requirements);
}
