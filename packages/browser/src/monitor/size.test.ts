import { describe, expect, it } from 'vitest';
import { bundleIife, gzipBytes, IIFE_ENTRIES } from '../../scripts/iife.ts';

/** Issue #10's budget: the client API and every tracker, as one page loads them, gzipped (6 KB). */
const MONITOR_BUDGET_BYTES = 6144;

// The debug overlay (dev only) is outside the budget.
const trackerScripts = Object.entries(IIFE_ENTRIES)
  .filter(([file]) => file.startsWith('monitor-') && file !== 'monitor-overlay.global.js')
  .map(([, entry]) => entry);

describe('the monitor scripts', () => {
  it('carry one sender each in the lean builds, both in the default one', async () => {
    const [full, http, ws] = await Promise.all(
      (
        ['skopos-monitor.global.js', 'skopos-monitor-http.global.js', 'skopos-monitor-ws.global.js'] as const
      ).map((file) => bundleIife(IIFE_ENTRIES[file])),
    );
    expect(full).toMatch(/sendBeacon[\s\S]*new WebSocket/);
    expect(http).toContain('sendBeacon');
    expect(http).not.toContain('new WebSocket');
    expect(ws).toContain('new WebSocket');
    expect(ws).not.toContain('sendBeacon');
  });

  it(`fit the budget: the HTTP client and all five trackers within ${MONITOR_BUDGET_BYTES} gzipped bytes`, async () => {
    expect(trackerScripts).toHaveLength(5);
    const scripts = await Promise.all(
      [...trackerScripts, IIFE_ENTRIES['skopos-monitor-http.global.js']].map(bundleIife),
    );
    expect(gzipBytes(scripts.join('\n'))).toBeLessThanOrEqual(MONITOR_BUDGET_BYTES);
  });
});
