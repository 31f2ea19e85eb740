const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration as the CLI takes it: `90s`, `5m`, `1h`, `1m30s`, `250ms`.
 * @throws TypeError naming the text and the accepted forms.
 */
export function parseDuration(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(text)
    ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g)
    : null;
  if (!parts) throw new TypeError(`"${text}" is not a duration: write it as 90s, 5m, 1h or 1m30s`);
  let ms = 0;
  for (const part of parts) {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part)!;
    ms += Number(value) * UNITS[unit!]!;
  }
  return Math.round(ms);
}
