import type { Tracker } from '../types.ts';

export type ConsoleLevel = 'error' | 'warn';

export interface ConsoleCaptureOptions {
  /** Levels captured (default `['error']`). */
  levels?: ConsoleLevel[];
  /** Distinct messages sent per page load (default 50). */
  maxMessages?: number;
}

function stringify(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Console capture, **opt-in only** (console output can hold anything): each distinct message of the
 * chosen levels sends the custom event `console` with `{ level, message }` (message ≤ 1000
 * characters), at most `maxMessages` per page load, and never from inside its own reporting. The
 * original console still prints. Answers a function that restores the console.
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 * import { captureConsole } from '@skopos/browser/console';
 *
 * captureConsole(createTracker({ site: 'my-app' }), { levels: ['error', 'warn'] });
 */
export function captureConsole(
  tracker: Pick<Tracker, 'track'>,
  options: ConsoleCaptureOptions = {},
): () => void {
  const maxMessages = options.maxMessages ?? 50;
  const seen = new Set<string>();
  const restores: (() => void)[] = [];
  let busy = false;
  for (const level of options.levels ?? ['error']) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      original.apply(console, args);
      if (busy || seen.size >= maxMessages) return;
      busy = true;
      try {
        const message = args.map(stringify).join(' ').slice(0, 1000);
        if (!seen.has(`${level}:${message}`)) {
          seen.add(`${level}:${message}`);
          tracker.track('console', { level, message });
        }
      } finally {
        busy = false;
      }
    };
    restores.push(() => {
      console[level] = original;
    });
  }
  return () => {
    for (const restore of restores.splice(0)) restore();
  };
}
