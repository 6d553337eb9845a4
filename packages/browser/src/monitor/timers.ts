import type { MonitorClient, TrackEventOptions } from './types.ts';

type Fields = Record<string, unknown>;

/**
 * `time`/`timeEnd`: the ms between the two calls, sent through `report` as a custom event named by
 * the label. Misuse never throws (timing code must not break the app it measures) and, to keep the
 * script small, does not warn either: a second `time` keeps the first start, and `timeEnd` without
 * `time` sends nothing and answers -1, as vite-plugin-monitor does.
 */
export function createTimers(
  report: (
    name: string,
    data: Fields | undefined,
    options: TrackEventOptions | undefined,
    ms: number,
  ) => void,
): Pick<MonitorClient, 'time' | 'timeEnd'> {
  const timers = new Map<string, number>();
  return {
    time(label) {
      if (!timers.has(label)) timers.set(label, performance.now());
    },
    timeEnd(label, data, options) {
      const start = timers.get(label);
      if (start === undefined) return -1;
      timers.delete(label);
      const duration = Math.round(performance.now() - start);
      report(label, data, options, duration);
      return duration;
    },
  };
}
