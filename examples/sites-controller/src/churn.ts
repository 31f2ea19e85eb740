import type { Client } from '@kates/core';
import { site } from './site.js';

/**
 * Changes Sites on the embedded server now and then, so that the controller has work to show:
 * new Sites, new content, deletions, and now and then a hostname already taken.
 */
export function startChurn(
  client: Client,
  namespace: string,
  everyMs: number,
  log: (line: string) => void,
): () => void {
  let n = 0;
  const timer = setInterval(() => {
    n++;
    const name = `site-${n % 7}`;
    const step = n % 5;
    const work =
      step === 0
        ? client.delete({ kind: 'sites.example.kates.dev', name, namespace })
        : step === 4
          ? client.create(site(namespace, `copycat-${n}`, 'shop.example.com'))
          : client.upsert(site(namespace, name, `${name}.example.com`, `<h1>${name}, version ${n}</h1>`));
    work.catch((e: unknown) => log(`churn: ${(e as Error).message}`));
  }, everyMs);
  return () => clearInterval(timer);
}
