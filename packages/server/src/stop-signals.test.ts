import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SAME_PRESS_MS, waitForStopSignal } from './stop-signals.ts';

function harness() {
  const source = new EventEmitter();
  const seen = { clock: 0, repeats: 0, exits: [] as number[] };
  const stopped = waitForStopSignal(source, {
    now: () => seen.clock,
    onRepeat: () => {
      seen.repeats++;
    },
    exit: (code) => {
      seen.exits.push(code);
    },
  });
  const signal = (name: string, at: number): void => {
    seen.clock = at;
    source.emit(name, name);
  };
  return { source, seen, stopped, signal };
}

describe('waitForStopSignal', () => {
  it('one Ctrl+C delivered twice (by the terminal and again by npm): the server stops once and flushes', async () => {
    const { seen, stopped, signal } = harness();
    signal('SIGINT', 1000);
    signal('SIGINT', 1003);
    signal('SIGINT', 1000 + SAME_PRESS_MS - 1);
    expect(await stopped).toBe('SIGINT');
    expect(seen.repeats).toBe(0);
    expect(seen.exits).toEqual([]);
  });

  it('a second Ctrl+C pressed later: exit code 130 without waiting for the flush', async () => {
    const { seen, stopped, signal } = harness();
    signal('SIGTERM', 50);
    expect(await stopped).toBe('SIGTERM');
    signal('SIGINT', 50 + SAME_PRESS_MS);
    expect(seen.repeats).toBe(1);
    expect(seen.exits).toEqual([130]);
  });

  it('keeps its listener after the first signal, so a late duplicate never meets the default action', async () => {
    const { source, stopped, signal } = harness();
    signal('SIGINT', 0);
    await stopped;
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(source.listenerCount('SIGTERM')).toBe(1);
  });
});
