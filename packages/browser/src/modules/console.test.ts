// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from './console.ts';

let tracked: [string, Record<string, unknown> | undefined][];
let printed: unknown[][];
let stop: () => void;

beforeEach(() => {
  tracked = [];
  printed = [];
  vi.spyOn(console, 'error').mockImplementation((...args) => printed.push(args));
  vi.spyOn(console, 'warn').mockImplementation((...args) => printed.push(args));
});
afterEach(() => {
  stop();
  vi.restoreAllMocks();
});

describe('console capture (opt-in)', () => {
  it('sends each distinct console.error once, still printing it', () => {
    stop = captureConsole({ track: (name, data) => tracked.push([name, data]) });
    console.error('payment failed', { code: 42 });
    console.error('payment failed', { code: 42 });
    console.warn('not captured by default');
    expect(tracked).toEqual([['console', { level: 'error', message: 'payment failed {"code":42}' }]]);
    expect(printed).toHaveLength(3);
  });

  it('captures the chosen levels, cuts messages, caps them, and never reports itself', () => {
    stop = captureConsole(
      {
        track: (name, data) => {
          tracked.push([name, data]);
          console.error('from inside the tracker');
        },
      },
      { levels: ['warn', 'error'], maxMessages: 2 },
    );
    console.warn('x'.repeat(2000));
    console.error('second');
    console.error('third');
    expect(tracked.map(([, data]) => [data?.level, String(data?.message).length])).toEqual([
      ['warn', 1000],
      ['error', 6],
    ]);
  });

  it('restores the console when stopped', () => {
    const before = console.error;
    stop = captureConsole({ track: (name, data) => tracked.push([name, data]) });
    expect(console.error).not.toBe(before);
    stop();
    expect(console.error).toBe(before);
  });
});
