import { createSkopos, isSkoposError, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { attachWebSocketServer } from './attach-server.ts';
import { SITE } from './test-support.ts';

describe('attachWebSocketServer({ skopos })', () => {
  it('refuses a pipeline without trackNow at once, rather than answering every event store_failed', async () => {
    const skopos = createSkopos({ store: memoryStore({ websites: [SITE] }), logger: silentLogger });
    try {
      for (const bad of [{ track: skopos.track } as unknown as Skopos, undefined as unknown as Skopos]) {
        let refused: unknown;
        try {
          attachWebSocketServer({ skopos: bad });
        } catch (error) {
          refused = error;
        }
        expect(isSkoposError(refused) && refused.code).toBe('invalid_options');
        expect(String(refused)).toMatch(/pass the pipeline: attachWebSocketServer\(\{ skopos \}\)/);
      }
      const server = attachWebSocketServer({ skopos, logger: silentLogger });
      await server.close();
    } finally {
      await skopos.shutdown();
    }
  });
});
