// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clsAccumulator, inpAccumulator } from './vitals-metrics.ts';
import { trackWebVitals, WEB_VITALS_EVENT } from './web-vitals.ts';

type Entry = Partial<PerformanceEntry> & Record<string, unknown>;
const observers = new Map<string, (entries: Entry[]) => void>();

/** A PerformanceObserver whose entries the test delivers (happy-dom has none). */
class FakeObserver {
  static supportedEntryTypes = ['paint', 'largest-contentful-paint', 'layout-shift', 'event', 'first-input'];
  constructor(private readonly callback: (list: { getEntries(): Entry[] }) => void) {}
  observe(options: { type: string }): void {
    observers.set(options.type, (entries) => this.callback({ getEntries: () => entries }));
  }
}
const deliver = (type: string, ...entries: Entry[]): void => observers.get(type)?.(entries);

beforeEach(() => {
  observers.clear();
  vi.stubGlobal('PerformanceObserver', FakeObserver);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('web vitals', () => {
  it('sends LCP, CLS, INP and FCP once, by beacon, when the page is first hidden', () => {
    const tracked: [string, unknown][] = [];
    const flushes: unknown[] = [];
    trackWebVitals({
      track: (name, data) => tracked.push([name, data]),
      flush: (beacon) => flushes.push(beacon),
    });
    deliver(
      'paint',
      { name: 'first-paint', startTime: 90 },
      { name: 'first-contentful-paint', startTime: 120.4 },
    );
    deliver('largest-contentful-paint', { startTime: 800 }, { startTime: 1450.6 });
    deliver('layout-shift', { startTime: 100, value: 0.05, hadRecentInput: false });
    deliver('event', { interactionId: 7, duration: 180 }, { interactionId: 7, duration: 64 });
    window.dispatchEvent(new Event('pagehide'));
    window.dispatchEvent(new Event('pagehide'));
    expect(tracked).toEqual([
      [WEB_VITALS_EVENT, expect.objectContaining({ fcp: 120, lcp: 1451, cls: 0.05, inp: 180 })],
    ]);
    expect(flushes).toEqual([true]);
  });

  it('computes CLS as the worst session window of unexpected shifts', () => {
    const cls = clsAccumulator();
    cls({ startTime: 0, value: 0.1, hadRecentInput: false } as unknown as PerformanceEntry);
    cls({ startTime: 500, value: 0.1, hadRecentInput: false } as unknown as PerformanceEntry);
    cls({ startTime: 600, value: 5, hadRecentInput: true } as unknown as PerformanceEntry);
    // A gap of more than a second starts a new window.
    expect(
      cls({ startTime: 3000, value: 0.15, hadRecentInput: false } as unknown as PerformanceEntry),
    ).toBeCloseTo(0.2);
  });

  it('computes INP as the slowest interaction, skipping one outlier per 50 interactions', () => {
    const inp = inpAccumulator();
    let latest: number | undefined;
    for (let id = 1; id <= 100; id++)
      latest = inp({
        interactionId: id,
        duration: id === 1 ? 900 : id === 2 ? 500 : 40,
      } as unknown as PerformanceEntry);
    expect(latest).toBe(40);
    expect(inp({ interactionId: 0, duration: 2000 } as unknown as PerformanceEntry)).toBe(40);
  });
});
