/**
 * What two servers may answer differently without a user noticing, rewritten to one token so the
 * rest can be compared byte for byte: where they listen, uids, resourceVersions, times and ages,
 * cluster IPs the allocator picked, kubectl's temporary paths, and column padding (which follows
 * from the widths of the above).
 */

const UID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const RESOURCE_VERSION = /("?resourceVersion"?\s*[:=]\s*"?)\d+("?)/g;
const RFC3339 = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?( ?Z| [+-]\d{4})?/g;
const HTTP_DATE = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b/g;
// kubectl's ages: 5s, 2m3s, 4m, 3h2m, 5d, <invalid>; as a whole token only.
const AGE = /(?<=^|\s)(\d+[smhd](\d+[smh])?|<invalid>)(?=\s|$)/g;
// A Service's cluster IP from the dynamic band of the test cluster's 10.0.0.0/24: both allocators
// pick one at random, so the address differs on every run. 10.0.0.1 (the kubernetes Service) and
// `<none>` are not rewritten.
const CLUSTER_IP = /\b10\.0\.0\.(1[7-9]|[2-9]\d|1\d\d|2[0-4]\d|25[0-4])\b/g;
const DIFF_TMP = /\/tmp\/(LIVE|MERGED)-\d+/g;

/** Normalizes one output (stdout or stderr) of a command run on the server at `serverUrl`. */
export function normalizeOutput(text: string, serverUrl: string): string {
  const host = serverUrl.replace(/^https?:\/\//, '');
  return text
    .split(serverUrl)
    .join('<server>')
    .split(host)
    .join('<host>')
    .replace(UID, '<uid>')
    .replace(RESOURCE_VERSION, '$1<rv>$2')
    .replace(RFC3339, '<time>')
    .replace(HTTP_DATE, '<time>')
    .replace(CLUSTER_IP, '<cluster-ip>')
    .replace(DIFF_TMP, '/tmp/$1')
    .split('\n')
    .map((line) =>
      line
        .replace(AGE, '<age>')
        .replace(/[ \t]+/g, ' ')
        .trimEnd(),
    )
    .filter((line) => !REPAIR_RACE.test(line))
    .join('\n')
    .replace(EMPTY_EVENTS, 'Events: <none>$1');
}

// kube-apiserver's IP repair loop, racing a Service created in the same second, records a
// ClusterIPNotAllocated warning (and then repairs): its own bookkeeping, not an answer to the
// command. `get events` leaves it out by a field selector (session.ts); `describe` shows it in its
// Events table, so the row goes, and a table left without rows reads `<none>`, as kubectl prints it.
const REPAIR_RACE = /^ Warning ClusterIPNotAllocated .* ipallocator-repair-controller /;
const EMPTY_EVENTS = /^Events:\n Type Reason Age From Message\n -+ -+ -+ -+ -+(\n(?! )|$)/m;
