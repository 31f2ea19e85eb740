import type { StoreEnhancer } from '@reduxjs/toolkit';
import { createActionSanitizer, createStateSanitizer, type SanitizeOptions } from './devtools-sanitize.js';

/** Options of {@link remoteDevTools}. */
export interface RemoteDevToolsOptions extends SanitizeOptions {
  /** The DevTools server (`npx @redux-devtools/cli`): default `localhost`. */
  readonly hostname?: string;
  /** Default 8000, the server's default. */
  readonly port?: number;
  readonly secure?: boolean;
  /** The instance name shown in the monitor (default `kates`). */
  readonly name?: string;
  /** Actions kept for the monitor (default 30); each costs only what it changed in the store. */
  readonly maxAge?: number;
}

/**
 * Connects a store to a standalone Redux DevTools server (`@redux-devtools/cli`), from Node: an
 * enhancer to pass to `createKatesStore({ enhancers: [recorder.enhancer, await remoteDevTools()] })`.
 * Opt-in, for development.
 *
 * Every message is sanitized: object lists become counts and a few names, single objects their
 * identity, so a 100k-object state costs a few kilobytes per message, and no Secret value or
 * credential is ever sent.
 *
 * Mind what the monitor can do: jumping in its timeline moves this store's state (a controller
 * would reconcile against the past), and Redux DevTools' "dispatch" evaluates text sent by any
 * monitor on that server in this process. Connect only to a server you run, on loopback. To look
 * back at a session without those risks, record it and open the recording with the inspector.
 *
 * Needs the package `@redux-devtools/remote` (loaded only when called).
 */
export async function remoteDevTools(options: RemoteDevToolsOptions = {}): Promise<StoreEnhancer> {
  let mod: { devToolsEnhancer: (o: Record<string, unknown>) => StoreEnhancer };
  try {
    mod = (await import('@redux-devtools/remote')) as unknown as typeof mod;
  } catch (e) {
    throw new Error(
      `remoteDevTools needs the package @redux-devtools/remote: npm install @redux-devtools/remote ` +
        `(${(e as Error).message})`,
    );
  }
  return mod.devToolsEnhancer({
    realtime: true,
    name: options.name ?? 'kates',
    hostname: options.hostname ?? 'localhost',
    port: options.port ?? 8000,
    secure: options.secure ?? false,
    maxAge: options.maxAge ?? 30,
    suppressConnectErrors: true,
    stateSanitizer: createStateSanitizer(options),
    actionSanitizer: createActionSanitizer(options),
  });
}
