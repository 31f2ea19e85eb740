import { describe, expect, it } from 'vitest';
import { renderScale, type ScaleResult } from './report.js';
import type { PageRun } from './run-page.js';

const run = (firstViewMs: number, parseMs: number): PageRun =>
  ({
    firstViewMs,
    breakdown: {
      podsListStartMs: 400,
      podsListEndMs: 1500,
      podsListRequests: 2,
      podsListMB: 9,
      podsListPages: [
        [400, 420, 900, 4600],
        [950, 960, 1500, 4600],
      ],
      jsonParseMs: parseMs,
      dispatchMs: 100,
      reactMs: 200,
      gcMs: 150,
      programMs: 700,
      idleMs: 300,
      top: [],
    },
    frames: 0,
    frameMax: 0,
    frameP99: 0,
    framesOver50: 0,
    longFrames: [],
    longTasksOver50: 0,
    longFramesBy: { ours50: 0, ours10: 0, without: 0, noLoaf: 0 },
    longFrameCauses: [],
    loafs: [],
    controlFramesOver50: 0,
    controlFrameMax: 0,
    eventsPerSec: 0,
    heap: [],
  }) as PageRun;

describe('the scale report', () => {
  it("says where the first page's first view went, as the second page's, page by page of the pods list", () => {
    const result: ScaleResult = {
      server: 'real',
      pods: 30000,
      rate: 100,
      seconds: 10,
      date: '2026-12-05T00:00:00Z',
      heaps: [],
      modes: [
        {
          mode: 'projection=projected (warm start)',
          cold: run(2300, 160),
          warm: run(2200, 150),
          upstream: {} as ScaleResult['modes'][number]['upstream'],
          load: 4.5,
          warmupMs: 16000,
        },
      ],
    };
    const text = renderScale(result);
    expect(text).toContain('### Where each first view went');
    expect(text).toContain(
      '| projection=projected (warm start) | first | 2300 | 400 / 420 / 900, 4600; 950 / 960 / 1500, 4600 | 160 / 100 / 200 / 150 / 700 / 300 |',
    );
    expect(text).toContain('| projection=projected (warm start) | second | 2200 |');
  });
});
