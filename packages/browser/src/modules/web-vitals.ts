import type { Tracker } from '../types.ts';
import { clsAccumulator, inpAccumulator, type VitalsValues } from './vitals-metrics.ts';

export type { VitalsValues } from './vitals-metrics.ts';

/** Name of the custom event that carries the metrics (`customData`: lcp, cls, inp, fcp, ttfb). */
export const WEB_VITALS_EVENT = 'web-vitals';

function observe(type: string, onEntry: (entry: PerformanceEntry) => void, extra?: object): void {
  // Browsers without the API, or without this entry type, simply leave the metric out.
  if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes(type)) return;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) onEntry(entry);
  }).observe({ type, buffered: true, ...extra });
}

/**
 * Measures LCP, CLS, INP, FCP and TTFB with `PerformanceObserver` and sends them once per page
 * load, as the custom event `web-vitals`, when the page is first hidden (the moment their values
 * are final), by beacon. Metrics a browser does not support are left out. Answers the live values.
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 * import { trackWebVitals } from '@skopos/browser/web-vitals';
 *
 * trackWebVitals(createTracker({ site: 'my-app' }));
 */
export function trackWebVitals(tracker: Pick<Tracker, 'track' | 'flush'>): VitalsValues {
  const values: VitalsValues = {};
  const cls = clsAccumulator();
  const inp = inpAccumulator();
  let sent = false;
  const navigation = performance.getEntriesByType?.('navigation')[0] as
    | PerformanceNavigationTiming
    | undefined;
  if (navigation) values.ttfb = Math.round(navigation.responseStart);
  observe('paint', (entry) => {
    if (entry.name === 'first-contentful-paint') values.fcp = Math.round(entry.startTime);
  });
  observe('largest-contentful-paint', (entry) => {
    values.lcp = Math.round(entry.startTime);
  });
  observe('layout-shift', (entry) => {
    values.cls = Math.round(cls(entry) * 1e4) / 1e4;
  });
  const onInteraction = (entry: PerformanceEntry): void => {
    const latency = inp(entry);
    if (latency !== undefined) values.inp = Math.round(latency);
  };
  observe('event', onInteraction, { durationThreshold: 40 });
  observe('first-input', onInteraction);
  const report = (): void => {
    if (sent) return;
    sent = true;
    tracker.track(WEB_VITALS_EVENT, { ...values });
    tracker.flush(true);
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && report());
  addEventListener('pagehide', report);
  return values;
}
