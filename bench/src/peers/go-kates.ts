import { fileURLToPath } from 'node:url';
import { runBuildScript } from './build-script.js';

const BUILD = fileURLToPath(new URL('../../go-kates/build.sh', import.meta.url));

/** The Go kates peer: its binary, or exactly why it could not be built. */
export type GoKates = { readonly binary: string; readonly release: string } | { readonly error: string };

/**
 * Builds (or finds in the cache) the Go kates peer from the Go module proxy. Never throws: a
 * failed build is a result, reported word for word in RESULTS.md.
 */
export async function ensureGoKates(onProgress: (line: string) => void): Promise<GoKates> {
  const built = await runBuildScript(BUILD, onProgress);
  if ('error' in built) return built;
  return { binary: built.binary, release: /go-kates-(v[\d.]+)-/.exec(built.binary)?.[1] ?? '' };
}
