/**
 * The value of the flag `--name=value` among `argv` (this process' arguments unless given), whole:
 * an `=` in the value is kept. Undefined when the flag is absent. The micro-benchmarks' options.
 */
export function argOf(name: string, argv: readonly string[] = process.argv): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
