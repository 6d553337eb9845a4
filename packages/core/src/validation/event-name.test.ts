import { describe, expect, it } from 'vitest';
import { validateEventName } from './event-name.ts';
import { LIMITS } from './limits.ts';

describe('validateEventName (server events)', () => {
  it(`accepts ${LIMITS.nameMaxChars} characters and stores the first ${LIMITS.nameStoredChars}`, () => {
    const name = 'n'.repeat(LIMITS.nameMaxChars);
    expect(validateEventName(name)).toEqual({ ok: true, value: name.slice(0, LIMITS.nameStoredChars) });
  });

  it(`rejects ${LIMITS.nameMaxChars + 1} characters`, () => {
    expect(validateEventName('n'.repeat(LIMITS.nameMaxChars + 1))).toEqual({
      ok: false,
      issues: [{ field: 'name', reason: `must be at most ${LIMITS.nameMaxChars} characters (got 256)` }],
    });
  });

  it('strips control characters and trims', () => {
    expect(validateEventName('\tuser_signup\u0000\n')).toEqual({ ok: true, value: 'user_signup' });
  });

  it.each(['', ' ', '\u0000\u001f'])('rejects %j as empty', (name) => {
    expect(validateEventName(name)).toEqual({
      ok: false,
      issues: [{ field: 'name', reason: 'must not be empty' }],
    });
  });

  it('rejects non-strings under the given field', () => {
    expect(validateEventName(undefined, 'eventName')).toEqual({
      ok: false,
      issues: [{ field: 'eventName', reason: 'is required' }],
    });
    expect(validateEventName(5, 'eventName')).toEqual({
      ok: false,
      issues: [{ field: 'eventName', reason: 'must be a string (got 5)' }],
    });
  });
});
