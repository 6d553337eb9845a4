import { silentLogger } from '@skopos/core';
import { makeJsError, makeSession, makeVisitor } from '@skopos/core/testing';
import { expect, it } from 'vitest';
import type { StoreContext } from './context.ts';
import { deltasWithoutGoneSessions, SESSION_GRACE_MS } from './gone-sessions.ts';

/** A store context whose PocketBase has the `existing` session ids (unit test: no server). */
function contextWith(existing: Set<string>): StoreContext {
  const pb = {
    filter: (raw: string) => raw,
    collection: () => ({ getFullList: async () => [...existing].map((id) => ({ id })) }),
  };
  return {
    pb,
    auth: { call: (request: () => unknown) => request() },
    url: 'http://pocketbase.test',
    logger: silentLogger,
    chunkSize: 100,
    skippedUniqueIndexes: [],
    writeLog: false,
  } as unknown as StoreContext;
}

it('a session missing for the grace is gone, also for the next chunk or a retry: no second grace', async () => {
  const ctx = contextWith(new Set());
  const session = makeSession(makeVisitor('w1'));
  const deltas = [makeJsError(session)];
  const t0 = 1_000_000_000_000;
  expect(await deltasWithoutGoneSessions(ctx, deltas, t0)).toBeNull();
  expect(await deltasWithoutGoneSessions(ctx, deltas, t0 + SESSION_GRACE_MS - 1)).toBeNull();
  const blanked = await deltasWithoutGoneSessions(ctx, deltas, t0 + SESSION_GRACE_MS);
  expect(blanked?.map((delta) => delta.session)).toEqual(['']);
  // The same session in the next chunk of the write, or the write retried after an outage.
  const again = await deltasWithoutGoneSessions(ctx, deltas, t0 + SESSION_GRACE_MS + 1);
  expect(again?.map((delta) => delta.session)).toEqual(['']);
});

it('a session found again starts afresh, and one that exists is never blanked', async () => {
  const existing = new Set<string>();
  const ctx = contextWith(existing);
  const session = makeSession(makeVisitor('w1'));
  const deltas = [makeJsError(session)];
  const t0 = 2_000_000_000_000;
  expect(await deltasWithoutGoneSessions(ctx, deltas, t0)).toBeNull();
  existing.add(session.id);
  expect(await deltasWithoutGoneSessions(ctx, deltas, t0 + SESSION_GRACE_MS)).toBeNull();
  existing.delete(session.id);
  expect(await deltasWithoutGoneSessions(ctx, deltas, t0 + SESSION_GRACE_MS + 1)).toBeNull();
});
