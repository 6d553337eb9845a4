import { describe, expect, it } from 'vitest';
import { bundleIife, CORE_BUDGET_BYTES, gzipBytes, IIFE_ENTRIES, WS_BUDGET_BYTES } from '../scripts/iife.ts';

describe('size budget', () => {
  it(`keeps the core script tag build within ${CORE_BUDGET_BYTES} gzipped bytes`, async () => {
    const code = await bundleIife(IIFE_ENTRIES['skopos.global.js']);
    // A bundle that failed or pulled in core's main entry (zod, isbot, ua-parser) is caught too.
    expect(code).toContain('sendBeacon');
    expect(code).not.toMatch(/zod|isbot|UAParser/);
    expect(gzipBytes(code)).toBeLessThanOrEqual(CORE_BUDGET_BYTES);
  });

  it(`keeps the WebSocket script tag build within ${WS_BUDGET_BYTES} gzipped bytes, without the HTTP sender`, async () => {
    const code = await bundleIife(IIFE_ENTRIES['skopos-ws.global.js']);
    expect(code).toContain('WebSocket');
    expect(code).not.toMatch(/sendBeacon|zod|isbot|UAParser/);
    expect(gzipBytes(code)).toBeLessThanOrEqual(WS_BUDGET_BYTES);
  });
});
