import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import { validateUserData } from './user-data.ts';

const tooLong = (field: string, max: number) => ({
  ok: false,
  issues: [{ field, reason: `must be at most ${max} characters (got ${max + 1})` }],
});

describe('validateUserData: userId', () => {
  it(`accepts 1–${LIMITS.userIdMaxChars} characters`, () => {
    const userId = 'u'.repeat(LIMITS.userIdMaxChars);
    expect(validateUserData(userId, undefined)).toEqual({ ok: true, value: { userId } });
    expect(validateUserData('u'.repeat(LIMITS.userIdMaxChars + 1), undefined)).toEqual(
      tooLong('userId', LIMITS.userIdMaxChars),
    );
  });

  it('accepts a numeric id as its decimal string', () => {
    expect(validateUserData(42, undefined)).toEqual({ ok: true, value: { userId: '42' } });
  });

  it.each([
    [undefined, 'is required'],
    ['', 'must not be empty'],
    ['  ', 'must not be empty'],
    ['user\n1', 'must not contain control characters'],
    [{ id: 1 }, 'must be a string (got object)'],
    [Number.NaN, 'must be a string (got NaN)'],
  ])('rejects %j: %s', (userId, reason) => {
    expect(validateUserData(userId, undefined)).toEqual({ ok: false, issues: [{ field: 'userId', reason }] });
  });
});

describe('validateUserData: userData', () => {
  it('keeps name, email, phone and metadata, trimmed and without control characters', () => {
    const result = validateUserData('u1', {
      name: ' Ada\u0000 Lovelace ',
      email: 'ada@example.com ',
      phone: '+44 20 7946 0000',
      metadata: { plan: 'pro' },
      unknownKey: 'ignored',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        userId: 'u1',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        metadata: { plan: 'pro' },
      },
    });
  });

  it('leaves out empty and null fields', () => {
    expect(validateUserData('u1', { name: '', email: null, phone: '  ' })).toEqual({
      ok: true,
      value: { userId: 'u1' },
    });
    expect(validateUserData('u1', null)).toEqual({ ok: true, value: { userId: 'u1' } });
  });

  it.each([
    ['name', LIMITS.userNameMaxChars],
    ['email', LIMITS.emailMaxChars],
    ['phone', LIMITS.phoneMaxChars],
  ])('%s: accepts %d characters and rejects one more', (field, max) => {
    const at = field === 'email' ? `${'a'.repeat(max - 12)}@example.com` : 'x'.repeat(max);
    const over = field === 'email' ? `a${at}` : 'x'.repeat(max + 1);
    expect(validateUserData('u1', { [field]: at })).toEqual({
      ok: true,
      value: { userId: 'u1', [field]: at },
    });
    expect(validateUserData('u1', { [field]: over })).toEqual(tooLong(`userData.${field}`, max));
  });

  it('lowercases the email, as the original Skopos SDK stored it', () => {
    expect(validateUserData('u1', { email: ' Ada.Lovelace@Example.COM ' })).toMatchObject({
      ok: true,
      value: { email: 'ada.lovelace@example.com' },
    });
  });

  it.each(['ada', 'ada@', '@example.com', 'ada lovelace@example.com'])('rejects %j as an email', (email) => {
    expect(validateUserData('u1', { email })).toEqual({
      ok: false,
      issues: [{ field: 'userData.email', reason: 'must be an email address' }],
    });
  });

  it(`metadata: applies the customData rules with ${LIMITS.metadataMaxBytes} bytes`, () => {
    const fill = (bytes: number) => ({ a: 'x'.repeat(bytes - '{"a":""}'.length) });
    expect(validateUserData('u1', { metadata: fill(LIMITS.metadataMaxBytes) }).ok).toBe(true);
    expect(validateUserData('u1', { metadata: fill(LIMITS.metadataMaxBytes + 1) })).toEqual({
      ok: false,
      issues: [{ field: 'userData.metadata', reason: 'must be at most 8192 bytes as JSON (got 8193)' }],
    });
    expect(validateUserData('u1', { metadata: JSON.parse('{"Constructor":1}') })).toEqual({
      ok: false,
      issues: [{ field: 'userData.metadata.Constructor', reason: 'key "Constructor" is not allowed' }],
    });
  });

  it('must be an object, and reports userId and userData issues together', () => {
    expect(validateUserData('', 'ada')).toEqual({
      ok: false,
      issues: [
        { field: 'userId', reason: 'must not be empty' },
        { field: 'userData', reason: 'must be an object (got "ada")' },
      ],
    });
  });
});
