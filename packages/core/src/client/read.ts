import { collectionPath, objectPath, type ResourceType } from '../discovery/types.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import type { KubernetesList, KubernetesObject } from '../model/object.js';
import { formatSelector } from '../selector/format.js';
import { parseFieldSelector, parseLabelSelector } from '../selector/parse.js';
import type { Selector } from '../selector/types.js';
import type { Transport } from '../transport/types.js';
import { send } from './request.js';
import { namespaceFor, stamp } from './target.js';
import type { FieldSelectorInput, LabelSelectorInput, ListOptions, ListPage } from './types.js';

/** GET one object. */
export async function getObject<T extends KubernetesObject>(
  transport: Transport,
  rt: ResourceType,
  name: string,
  namespace: string | undefined,
  signal?: AbortSignal,
): Promise<T> {
  const obj = await send<T>(
    transport,
    { method: 'GET', path: objectPath(rt, name, namespace), signal },
    { verb: 'get', rt, name, namespace },
  );
  return stamp(obj, rt);
}

const DEFAULT_PAGE_SIZE = 500;

/**
 * The pages of a list, following `continue` until the last. Each page is one request; items get
 * `apiVersion` and `kind`. Selectors are checked (and put in canonical form) before the first
 * request, so a malformed one fails with a message that shows the syntax.
 */
export async function* listPages<T extends KubernetesObject>(
  transport: Transport,
  rt: ResourceType,
  opts: ListOptions,
  fallbackNamespace: string,
): AsyncGenerator<ListPage<T>, void, undefined> {
  const all = opts.allNamespaces ?? opts.namespace === 'all';
  const namespace = all ? undefined : namespaceFor(rt, opts.namespace, fallbackNamespace);
  const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InvalidInputError(
      `list ${rt.resource}: limit must be a whole number of items (0 for no paging), got ` + `${limit}`,
      'list',
      'limit',
    );
  }
  const labelSelector = labelSelectorQuery(opts.labelSelector);
  const fieldSelector = fieldSelectorQuery(opts.fieldSelector);
  let token: string | undefined;
  do {
    const list = await send<KubernetesList<T>>(
      transport,
      {
        method: 'GET',
        path: collectionPath(rt, namespace),
        query: {
          labelSelector,
          fieldSelector,
          limit: limit || undefined,
          continue: token,
          // The API server refuses a resourceVersion together with a continue token.
          resourceVersion: token ? undefined : opts.resourceVersion,
        },
        signal: opts.signal,
      },
      { verb: 'list', rt, namespace },
    );
    token = list.metadata?.continue || undefined;
    yield {
      items: (list.items ?? []).map((item) => stamp(item, rt)),
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continue: token,
      remainingItemCount: list.metadata?.remainingItemCount,
    };
  } while (token);
}

function isParsed<I>(input: I | Selector): input is Selector {
  return Array.isArray(input);
}

function labelSelectorQuery(input: LabelSelectorInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  const formatted = formatSelector(isParsed(input) ? input : parseLabelSelector(input));
  return formatted || undefined;
}

function fieldSelectorQuery(input: FieldSelectorInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  const formatted = formatSelector(isParsed(input) ? input : parseFieldSelector(input));
  return formatted || undefined;
}
