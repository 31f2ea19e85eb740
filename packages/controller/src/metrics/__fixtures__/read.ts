import type { Registry } from 'prom-client';

/**
 * The value of one series of a registry, read the way a scrape reads it (collect callbacks run):
 * `metricName` may be a histogram's `_count` or `_sum`. Undefined when there is no such series.
 */
export async function seriesValue(
  registry: Registry,
  metricName: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  for (const family of await registry.getMetricsAsJSON()) {
    for (const v of family.values as {
      metricName?: string;
      labels: Record<string, string | number>;
      value: number;
    }[]) {
      const name = v.metricName ?? family.name;
      if (name !== metricName) continue;
      if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) return v.value;
    }
  }
  return undefined;
}

/** Every series of one metric name, as `{labels...} value` lines, sorted. */
export async function seriesOf(registry: Registry, metricName: string): Promise<string[]> {
  const out: string[] = [];
  for (const family of await registry.getMetricsAsJSON()) {
    for (const v of family.values as {
      metricName?: string;
      labels: Record<string, string | number>;
      value: number;
    }[]) {
      if ((v.metricName ?? family.name) !== metricName) continue;
      const labels = Object.entries(v.labels)
        .filter(([k]) => k !== 'le')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => `${k}=${x}`)
        .join(',');
      out.push(`{${labels}} ${v.value}`);
    }
  }
  return out.sort();
}
