import { randomBytes } from 'node:crypto';
import type { SessionCommit } from '@skopos/core';
import { BASE_TIME, makeSession, makeVisitor } from '@skopos/core/testing/checks';

let counter = 0;

/** A 15-character id of `[a-z0-9]`, the shape of core's record ids. */
export const newId = (): string =>
  Array.from(randomBytes(15), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');

/** A create commit for `website` with long TTLs, a fresh key, visitor and identity. */
export function testCommit(website: string, overrides: Partial<SessionCommit> = {}): SessionCommit {
  counter += 1;
  const row = makeSession(makeVisitor(website));
  return {
    website,
    key: `key-${counter}`,
    expected: 0,
    session: { row, visibleSeconds: 0, reportsVisibleTime: false, lastSeen: BASE_TIME },
    visitor: row.visitor,
    identity: `event-${counter}`,
    ttlMs: 600_000,
    identityTtlMs: 600_000,
    visitorTtlMs: 600_000,
    ...overrides,
  };
}
