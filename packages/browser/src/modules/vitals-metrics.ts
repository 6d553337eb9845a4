/** The metrics collected so far, in ms (CLS unitless); absent = not measured (yet). */
export interface VitalsValues {
  lcp?: number;
  cls?: number;
  inp?: number;
  fcp?: number;
  ttfb?: number;
}

interface LayoutShift extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
}

interface EventTiming extends PerformanceEntry {
  interactionId?: number;
}

/** CLS as Chrome defines it: the largest session window (gaps < 1 s, windows ≤ 5 s) of unexpected shifts. */
export function clsAccumulator(): (entry: PerformanceEntry) => number {
  let worst = 0;
  let current = 0;
  let first = 0;
  let last = 0;
  return (entry) => {
    const shift = entry as LayoutShift;
    if (!shift.hadRecentInput) {
      const time = shift.startTime;
      if (current && time - last < 1000 && time - first < 5000) {
        current += shift.value;
      } else {
        current = shift.value;
        first = time;
      }
      last = time;
      worst = Math.max(worst, current);
    }
    return worst;
  };
}

/**
 * INP: the longest interaction, ignoring one outlier per 50 interactions (so the 98th percentile
 * on busy pages). An interaction's latency is its slowest event.
 */
export function inpAccumulator(): (entry: PerformanceEntry) => number | undefined {
  const latencies = new Map<number, number>();
  return (entry) => {
    const id = (entry as EventTiming).interactionId;
    if (id) latencies.set(id, Math.max(latencies.get(id) ?? 0, entry.duration));
    const sorted = [...latencies.values()].sort((a, b) => b - a);
    return sorted[Math.min(sorted.length - 1, Math.floor(latencies.size / 50))];
  };
}
