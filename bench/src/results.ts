import type { MemoryConfig, MemoryResult } from './micro/memory.js';
import type { PendingBenchConfig, PendingBenchResult } from './micro/pending-bench.js';
import type { StoreBenchConfig, StoreBenchResult } from './micro/store-bench.js';
import type { GoKates } from './peers/go-kates.js';
import type { BrowserBenchResults } from './report/browser.js';
import type { BootstrapResult } from './scenarios/bootstrap.js';
import type { ChurnResult } from './scenarios/churn.js';
import type { Failed } from './scenarios/micro.js';
import type { SlowConsumerResult } from './scenarios/slow-consumer.js';

/** The machine a run ran on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly go: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
}

/** Results of one server's scenarios, or why the server could not run. */
export interface ServerResults {
  readonly setupMs?: number;
  readonly collections?: string;
  /** How the objects were made (the real server: created through the API, or written into etcd). */
  readonly setup?: string;
  readonly bootstrap: readonly BootstrapResult[];
  readonly churn: readonly ChurnResult[];
  readonly slow: readonly SlowConsumerResult[];
  readonly error?: string;
}

/** Everything `npm run bench` measured; written to bench/results.json and rendered as RESULTS.md. */
export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationS: number;
  /** Wall time of each part of the run, s (absent from runs before it existed). */
  readonly partSeconds?: Readonly<Record<string, number>>;
  readonly machine: Machine;
  readonly go: GoKates;
  readonly store: readonly (StoreBenchResult | Failed<StoreBenchConfig>)[];
  readonly memory: readonly (MemoryResult | Failed<MemoryConfig>)[];
  /** Watch events while local writes wait (part of `store`; absent from runs before it existed). */
  readonly pending?: readonly (PendingBenchResult | Failed<PendingBenchConfig>)[];
  readonly fake: ServerResults;
  readonly real: ServerResults & { readonly n?: number };
  /** The browser part (issue 24): 10k pods in Chromium; absent from runs before it existed. */
  readonly browser?: BrowserBenchResults;
  /** Changes made to the code measured, stated in the report. */
  readonly notes: readonly string[];
}
