import { describe, expect, it } from 'vitest';
import { bundleIife, gzipBytes, IIFE_ENTRIES } from '../../scripts/iife.ts';

/** Issue #10's budget: the client API and every tracker, as one page loads them, gzipped (6 KB). */
const MONITOR_BUDGET_BYTES = 6144;

// Outside the budget, as add-ons a page loads only when asked: the debug overlay (dev only) and the
// http tracker's header and body capture (its own build, served instead of the plain one).
const ADD_ONS = ['monitor-overlay.global.js', 'monitor-http-capture.global.js'];
const trackerScripts = Object.entries(IIFE_ENTRIES)
  .filter(([file]) => file.startsWith('monitor-') && !ADD_ONS.includes(file))
  .map(([, entry]) => entry);

describe('the monitor scripts', () => {
  it('carry one sender each in the lean builds, both in the default one', async () => {
    const [full, http, ws] = await Promise.all(
      (
        ['skopos-monitor.global.js', 'skopos-monitor-http.global.js', 'skopos-monitor-ws.global.js'] as const
      ).map((file) => bundleIife(IIFE_ENTRIES[file])),
    );
    expect(full).toContain('sendBeacon');
    expect(full).toContain('new WebSocket');
    expect(http).toContain('sendBeacon');
    expect(http).not.toContain('new WebSocket');
    expect(ws).toContain('new WebSocket');
    expect(ws).not.toContain('sendBeacon');
  });

  it.each(['skopos-monitor-http.global.js', 'skopos-monitor-ws.global.js'] as const)(
    `fit the budget: %s and all five trackers within ${MONITOR_BUDGET_BYTES} gzipped bytes`,
    async (client) => {
      expect(trackerScripts).toHaveLength(5);
      const scripts = await Promise.all([...trackerScripts, IIFE_ENTRIES[client]].map(bundleIife));
      expect(gzipBytes(scripts.join('\n'))).toBeLessThanOrEqual(MONITOR_BUDGET_BYTES);
    },
  );

  it('leave header and body capture out of the plain http tracker, and keep it in the capture build', async () => {
    const [plain, capture] = await Promise.all(
      (['monitor-http.global.js', 'monitor-http-capture.global.js'] as const).map((file) =>
        bundleIife(IIFE_ENTRIES[file]),
      ),
    );
    expect(plain).not.toContain('[REDACTED]');
    expect(capture).toContain('[REDACTED]');
  });
});
