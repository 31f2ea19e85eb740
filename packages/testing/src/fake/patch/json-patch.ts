import { clone, deepEqual, isObject } from '../json.js';

/** A JSON patch that cannot be decoded (400 in the apiserver). */
export class JsonPatchDecodeError extends Error {}
/** A JSON patch that decodes but does not apply: a failed `test`, a missing path (422 in the apiserver). */
export class JsonPatchApplyError extends Error {}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function decode(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new JsonPatchDecodeError(
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
  }
  return patch.map((op, i) => {
    if (!isObject(op) || typeof op.op !== 'string' || !OPS.has(op.op) || typeof op.path !== 'string') {
      throw new JsonPatchApplyError(
        `operation ${i} needs "op" (add, remove, replace, move, copy, test) and "path"`,
      );
    }
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') {
      throw new JsonPatchApplyError(`operation ${i} (${op.op}) needs "from"`);
    }
    return op as unknown as Operation;
  });
}

/** RFC 6901 pointer to tokens (`~1` is `/`, `~0` is `~`). */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchApplyError(`path "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: unknown[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchApplyError(`"${token}" is not an array index`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw new JsonPatchApplyError(`index ${i} is out of range`);
  return i;
}

/** The container of the last token, walking the document. */
function parentOf(doc: unknown, path: string[]): unknown {
  let current = doc;
  for (const t of path.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, t, false)];
    else if (isObject(current) && Object.hasOwn(current, t)) current = current[t];
    else throw new JsonPatchApplyError(`path /${path.join('/')} does not exist`);
  }
  return current;
}

function get(doc: unknown, pointer: string): unknown {
  const path = tokens(pointer);
  if (path.length === 0) return doc;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false)];
  if (isObject(parent) && Object.hasOwn(parent, last)) return parent[last];
  throw new JsonPatchApplyError(`path ${pointer} does not exist`);
}

function remove(doc: unknown, pointer: string): unknown {
  const path = tokens(pointer);
  if (path.length === 0) throw new JsonPatchApplyError('cannot remove the whole document');
  const parent = parentOf(doc, path);
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false), 1)[0];
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw new JsonPatchApplyError(`path ${pointer} does not exist`);
}

function add(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const path = tokens(pointer);
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace);
    parent.splice(i, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !Object.hasOwn(parent, last))
      throw new JsonPatchApplyError(`path ${pointer} does not exist`);
    parent[last] = value;
  } else throw new JsonPatchApplyError(`path ${pointer} has no parent object or array`);
  return doc;
}

/** RFC 6902 JSON patch (`application/json-patch+json`), all six operations. Returns a new document. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  let doc = clone(target);
  for (const op of decode(patch)) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, clone(op.value), false);
        break;
      case 'replace':
        doc = add(doc, op.path, clone(op.value), true);
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'move': {
        const v = remove(doc, op.from as string);
        doc = add(doc, op.path, v, false);
        break;
      }
      case 'copy':
        doc = add(doc, op.path, clone(get(doc, op.from as string)), false);
        break;
      case 'test':
        if (!deepEqual(get(doc, op.path), op.value))
          throw new JsonPatchApplyError(`test of ${op.path} failed`);
        break;
    }
  }
  return doc;
}
