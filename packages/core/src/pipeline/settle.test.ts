import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { settleCall } from './settle.ts';

describe('settleCall', () => {
  it('passes results through and turns a rejection into a logged store_failed result', async () => {
    expect(await settleCall(async () => ({ ok: true as const }), 'track', silentLogger)).toEqual({
      ok: true,
    });
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) };
    const failed = await settleCall(() => Promise.reject(new Error('store down')), 'trackApiEvent', logger);
    expect(failed).toEqual({ ok: false, reason: 'store_failed', status: 503, message: 'Error: store down' });
    expect(errors).toEqual(['trackApiEvent failed: the event was not recorded']);
  });
});
