// @vitest-environment happy-dom

import { createKatesStore, createRecorder, memorySink } from '@kates/core/browser';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_VALUE, sessionActions } from '../../core/src/timetravel/__fixtures__/session.js';
import { Inspector } from './Inspector.js';

afterEach(cleanup);

function recording(): string {
  const sink = memorySink();
  const store = createKatesStore({ enhancers: [createRecorder({ sink }).enhancer] });
  for (const a of sessionActions()) store.dispatch(a);
  return sink.text();
}

const text = recording();

describe('the inspector', () => {
  it('starts at the recorded initial state and steps forward and back with the keys', () => {
    render(<Inspector recording={text} name="session.jsonl" />);
    expect(screen.getByTestId('position').textContent).toBe(`step 0 of ${sessionActions().length}`);
    expect(screen.getByTestId('action').textContent).toContain('The state the recording starts from');
    act(() => {
      fireEvent.keyDown(window, { key: 'ArrowRight' });
    });
    expect(screen.getByTestId('action-type').textContent).toBe('kates/queryAdded');
    act(() => {
      fireEvent.keyDown(window, { key: 'ArrowRight', shiftKey: true });
    });
    expect(screen.getByTestId('position').textContent).toContain('step 11 of');
    act(() => {
      fireEvent.keyDown(window, { key: 'ArrowLeft' });
    });
    expect(screen.getByTestId('position').textContent).toContain('step 10 of');
  });

  it('shows the snapshot diff of a step: added and updated objects with their changed fields', () => {
    render(<Inspector recording={text} />);
    act(() => {
      fireEvent.change(screen.getByTestId('scrubber'), { target: { value: '20' } });
    });
    expect(screen.getByTestId('action-type').textContent).toBe('kates/watchEvents');
    const diff = screen.getByTestId('diff-acc1/ConfigMaps').textContent!;
    expect(diff).toContain('+ ns/three@105');
    expect(diff).toContain('~ ns/one@101 → 104');
    expect(diff).toContain('data.k: "v1" → "v1b"');
  });

  it("shows each query's status through the kates hooks, and jumps from error to error", () => {
    render(<Inspector recording={text} />);
    act(() => {
      fireEvent.click(screen.getByTestId('next-error'));
    });
    expect(screen.getByTestId('action-type').textContent).toBe('kates/queryFailed');
    expect(screen.getByTestId('status-Widgets').dataset.phase).toBe('unserved');
    act(() => {
      fireEvent.click(screen.getByTestId('next-error'));
    });
    expect(screen.getByTestId('action-type').textContent).toBe('kates/reflectorStatus');
    expect(screen.getByTestId('status-ConfigMaps').dataset.phase).toBe('backing-off');
    expect(screen.getByTestId('statuses').textContent).toContain('Bearer <redacted>');
    expect(document.body.textContent).not.toContain(SECRET_VALUE);
  });

  it('warns at the step whose replayed snapshot differs from the recorded one', () => {
    const edited = text.replace('"resourceVersion":"108"}', '"resourceVersion":"107"}');
    render(<Inspector recording={edited} />);
    act(() => {
      fireEvent.keyDown(window, { key: 'End' });
    });
    expect(screen.getByTestId('mismatch').textContent).toMatch(/^Step 28 does not rebuild the snapshot/);
  });

  it('says why a file that is not a recording cannot be opened', () => {
    render(<Inspector recording={'{"hello":1}\n'} />);
    expect(screen.getByTestId('load-error').textContent).toContain(
      'line 1: the first line must be a kates-recording header',
    );
  });
});
