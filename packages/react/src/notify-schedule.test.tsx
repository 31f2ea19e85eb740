// @vitest-environment happy-dom

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Profiler, type ReactElement, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PodList, RenderCounter } from './__fixtures__/components.js';
import { FrameClock, frame } from './__fixtures__/frames.js';
import { fixture } from './__fixtures__/pods.js';
import { KatesProvider } from './provider.js';
import { useQueryItem } from './use-query-item.js';

afterEach(cleanup);

/** Pod `i`'s row: its name and phase. */
const rowText = (i: number) => screen.getByTestId(`pods-uid-${i}`).textContent;

/** A pod by uid, and a button that re-renders it for a reason of its own. */
function PodWithButton({ uid }: { uid: string }) {
  const [clicks, setClicks] = useState(0);
  const pod = useQueryItem('pods', uid);
  return (
    <button type="button" data-testid="pod" onClick={() => setClicks(clicks + 1)}>
      {pod?.status?.phase}
    </button>
  );
}

/** Answers its pod's failure with another change, as an effect might. */
function AnswersFailure({ uid, answer }: { uid: string; answer: () => void }) {
  const pod = useQueryItem('pods', uid);
  if (pod?.status?.phase === 'Failed') answer();
  return null;
}

describe('a provider tells its components once per animation frame', () => {
  it('renders 100 watch events that arrive within one frame in one commit, at that frame', async () => {
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const frames = new FrameClock();
    const renders = new RenderCounter();
    const commits: number[] = [];
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <Profiler id="pods" onRender={(_id, _phase, actual) => commits.push(actual)}>
          <PodList renders={renders} />
        </Profiler>
      </KatesProvider>,
    );
    const before = commits.length;
    act(() => {
      for (let i = 0; i < 100; i++) f.modify('pods', i * 10);
    });
    // Applied to the store, not yet told: nothing rendered.
    expect(rowText(990)).toBe('pods-00990 Running');
    expect(commits.length).toBe(before);
    expect(frames.waiting).toBe(1);

    act(() => frames.next());
    expect(rowText(990)).toBe('pods-00990 Failed');
    expect(rowText(0)).toBe('pods-00000 Failed');
    expect(rowText(1)).toBe('pods-00001 Running');
    expect(commits.length - before).toBe(1);
    // Each changed row once, the list and the 900 other rows not at all.
    expect(renders.total()).toBe(1001 + 100);
    expect(renders.of('list')).toBe(1);
    f.accumulator.close();
  });

  it('shows a change at the first frame after it, never later: at most one frame of added latency', async () => {
    const f = await fixture({ pods: 10 });
    f.list('pods');
    const frames = new FrameClock();
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    for (const phase of ['Failed', 'Pending', 'Succeeded']) {
      act(() => f.modify('pods', 3, phase));
      act(() => frames.next());
      expect(rowText(3)).toBe(`pods-00003 ${phase}`);
      expect(frames.waiting).toBe(0);
    }
    f.accumulator.close();
  });

  it('keeps a change made while a frame is told for the next frame, and loses none', async () => {
    const f = await fixture({ pods: 10 });
    f.list('pods');
    const frames = new FrameClock();
    let reacted = false;
    const answer = () => {
      if (reacted) return;
      reacted = true;
      queueMicrotask(() => f.modify('pods', 2, 'Pending'));
    };
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <AnswersFailure uid="pods-uid-1" answer={answer} />
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    await act(async () => {
      f.modify('pods', 1);
      frames.next();
    });
    expect(rowText(1)).toBe('pods-00001 Failed');
    expect(rowText(2)).toBe('pods-00002 Running');
    expect(frames.waiting).toBe(1);
    act(() => frames.next());
    expect(rowText(2)).toBe('pods-00002 Pending');
    f.accumulator.close();
  });

  it('asks for one frame per burst, and for none while nothing changes', async () => {
    const f = await fixture({ pods: 100 });
    f.list('pods');
    const frames = new FrameClock();
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    expect(frames.requested).toBe(0);
    act(() => {
      for (let i = 0; i < 50; i++) f.modify('pods', i);
    });
    expect(frames.requested).toBe(1);
    act(() => frames.next());
    act(() => frames.next());
    expect(frames.requested).toBe(1);
    act(() => f.modify('pods', 60));
    expect(frames.requested).toBe(2);
    f.accumulator.close();
  });

  it('reads the newest state in a component that renders between frames for another reason', async () => {
    const f = await fixture({ pods: 3 });
    f.list('pods');
    const frames = new FrameClock();
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <PodWithButton uid="pods-uid-2" />
      </KatesProvider>,
    );
    act(() => f.modify('pods', 2));
    expect(screen.getByTestId('pod').textContent).toBe('Running');
    fireEvent.click(screen.getByTestId('pod'));
    expect(screen.getByTestId('pod').textContent).toBe('Failed');
    f.accumulator.close();
  });

  it('tells nobody at a frame whose components all unmounted before it', async () => {
    const f = await fixture({ pods: 3 });
    f.list('pods');
    const frames = new FrameClock();
    const renders = new RenderCounter();
    render(
      <KatesProvider accumulator={f.accumulator} notify={frames.schedule}>
        <PodList renders={renders} />
      </KatesProvider>,
    );
    act(() => f.modify('pods', 1));
    cleanup();
    expect(() => frames.next()).not.toThrow();
    expect(renders.total()).toBe(4);
    f.accumulator.close();
  });

  it('waits for the browser animation frame by default', async () => {
    const f = await fixture({ pods: 5 });
    f.list('pods');
    const raf = vi.spyOn(window, 'requestAnimationFrame');
    render(
      <KatesProvider accumulator={f.accumulator}>
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    act(() => {
      f.modify('pods', 4);
      f.modify('pods', 3);
    });
    expect(raf).toHaveBeenCalledTimes(1);
    expect(rowText(4)).toBe('pods-00004 Running');
    await act(frame);
    expect(rowText(4)).toBe('pods-00004 Failed');
    expect(rowText(3)).toBe('pods-00003 Failed');
    raf.mockRestore();
    f.accumulator.close();
  });

  it("renders every change at once with notify='sync'", async () => {
    const f = await fixture({ pods: 5 });
    f.list('pods');
    render(
      <KatesProvider accumulator={f.accumulator} notify="sync">
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    act(() => f.modify('pods', 4));
    expect(rowText(4)).toBe('pods-00004 Failed');
    f.accumulator.close();
  });

  it('names the values notify takes when given another', async () => {
    const f = await fixture({ pods: 1 });
    const error = renderError(
      // @ts-expect-error: not a schedule
      <KatesProvider accumulator={f.accumulator} notify="idle">
        <PodList renders={new RenderCounter()} />
      </KatesProvider>,
    );
    expect((error as Error).message).toBe(
      `<KatesProvider notify="idle">: notify is 'frame' (the default), 'sync', or a function that calls flush`,
    );
    f.accumulator.close();
  });
});

/** Renders and expects a render error, without React's console noise. */
function renderError(element: ReactElement): unknown {
  const error = console.error;
  console.error = () => {};
  try {
    render(element);
  } catch (e) {
    return e;
  } finally {
    console.error = error;
  }
  return undefined;
}
