import { createSkopos, isSkoposError, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { createHttpHandler } from './handler.ts';
import { SITE } from './test-support.ts';

function refusal(options: Parameters<typeof createHttpHandler>[0]): string {
  try {
    createHttpHandler(options);
  } catch (error) {
    expect(isSkoposError(error) && error.code).toBe('invalid_options');
    return String(error);
  }
  throw new Error('createHttpHandler took the options');
}

describe('createHttpHandler({ skopos })', () => {
  it('refuses a pipeline without trackNow at once, rather than answering every event store_failed', async () => {
    const skopos = createSkopos({ store: memoryStore({ websites: [SITE] }), logger: silentLogger });
    try {
      // An object of one's own with `track` only, or a pipeline of an older @skopos/core.
      const trackOnly = { track: skopos.track } as unknown as Skopos;
      expect(refusal({ skopos: trackOnly })).toMatch(/the pipeline has no trackNow\(\)/);
      expect(refusal({ skopos: undefined as unknown as Skopos })).toMatch(/pass the pipeline/);
      expect(() => createHttpHandler({ skopos })).not.toThrow();
    } finally {
      await skopos.shutdown();
    }
  });
});
