import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The descriptions and required fields of client-node's generated models. Its runtime models keep
 * only names and types (`attributeTypeMap`); the rest of the apiserver's OpenAPI survives in the
 * type declarations beside them, as doc comments and optional markers:
 *
 *     /** Number of desired pods. ... *\/
 *     'replicas'?: number;
 *     'selector': V1LabelSelector;     // required: no `?`
 *
 * so they are read from there, once per model, when a schema is built. The generator drops the
 * description of a field whose type is another model; those fields have none here.
 */
export interface ModelDoc {
  readonly description?: string;
  readonly fields: ReadonlyMap<string, FieldDoc>;
}

export interface FieldDoc {
  readonly description?: string;
  readonly required: boolean;
}

// client-node has no `exports` map: its main entry sits in dist/, the models in dist/gen/models/.
const modelsDir = join(
  dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')),
  'gen',
  'models',
);
const cache = new Map<string, ModelDoc | null>();

function commentText(block: string): string {
  return (
    block
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trimEnd())
      .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1))
      .join('\n')
      .trim()
      // The declarations quote descriptions as JavaScript strings: `pod\'s`, `\"All\"`, `\\d`.
      .replace(/\\(.)/g, '$1')
  );
}

function parse(text: string, name: string): ModelDoc | null {
  const start = text.indexOf(`export declare class ${name} {`);
  if (start < 0) return null;
  const before = text.slice(0, start);
  const classComment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(before);
  const body = text.slice(start, text.indexOf('static readonly discriminator', start));
  const fields = new Map<string, FieldDoc>();
  for (const m of body.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\?)?:/g)) {
    const description = m[1] ? commentText(m[1]) : undefined;
    fields.set(m[2] as string, { ...(description ? { description } : {}), required: m[3] !== '?' });
  }
  const description = classComment?.[1] ? commentText(classComment[1]) : undefined;
  return { ...(description ? { description } : {}), fields };
}

/** The doc of client-node's model `name` (`V1DeploymentSpec`), or undefined when it has none. */
export function modelDoc(name: string): ModelDoc | undefined {
  let doc = cache.get(name);
  if (doc === undefined) {
    try {
      doc = parse(readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8'), name);
    } catch {
      doc = null;
    }
    cache.set(name, doc);
  }
  return doc ?? undefined;
}
