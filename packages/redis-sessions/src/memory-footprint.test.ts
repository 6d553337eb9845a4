import { randomBytes } from 'node:crypto';
import type { SessionCommit } from '@skopos/core';
import { type RedisTestServer, startRedisServer } from '@skopos/test-utils';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisSessionStore } from './redis-session-store.ts';
import { newId, testCommit } from './test-support/commits.ts';

// The README's memory figure comes from this test (it prints it): one live session of a visitor,
// with the identity of its event and the visitor's claim, as a real ingest writes them.
const SESSIONS = 10_000;
const CONCURRENT = 500;

let server: RedisTestServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

const usedMemory = async (admin: Redis): Promise<number> =>
  Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);

/** Run `commits` CONCURRENT at a time; each must commit. */
async function commitAll(
  store: ReturnType<typeof redisSessionStore>,
  commits: SessionCommit[],
): Promise<number[]> {
  const versions: number[] = [];
  for (let done = 0; done < commits.length; done += CONCURRENT) {
    const results = await Promise.all(commits.slice(done, done + CONCURRENT).map((c) => store.commit(c)));
    for (const result of results) {
      expect(result.status).toBe('committed');
      versions.push(result.status === 'committed' ? result.version : 0);
    }
  }
  return versions;
}

it('keeps a live session under 1 KB, a visitor claim and an identity claim under 256 B each', async () => {
  const admin = new Redis(server.port, '127.0.0.1');
  const store = redisSessionStore({ url: server.url });
  try {
    await store.ping();
    const start = await usedMemory(admin);
    // A 64-hex visitor hash as the key and ids of 15 characters, like core's.
    const creates = Array.from({ length: SESSIONS }, () =>
      testCommit('k7x2m9q4w1z8c3v', { key: randomBytes(32).toString('hex'), identity: undefined }),
    );
    const versions = await commitAll(store, creates);
    const afterCreates = await usedMemory(admin);
    // One more event per session: the session is rewritten (same size), its identity claimed.
    await commitAll(
      store,
      creates.map((create, i) => ({ ...create, expected: versions[i] ?? 0, identity: newId() })),
    );
    const afterEvents = await usedMemory(admin);
    expect(await admin.dbsize()).toBe(3 * SESSIONS);
    // Sessions end (as by their TTL) while visitor claims stay for their 24 h.
    const sessionKeys = await admin.keys('skopos:*:s:*');
    for (let i = 0; i < sessionKeys.length; i += 1_000) await admin.del(...sessionKeys.slice(i, i + 1_000));
    const afterEnd = await usedMemory(admin);

    const perSessionAndVisitor = (afterCreates - start) / SESSIONS;
    const perIdentity = (afterEvents - afterCreates) / SESSIONS;
    const perSession = (afterEvents - afterEnd) / SESSIONS;
    const perVisitor = perSessionAndVisitor - perSession;
    console.info(
      `redis-sessions used_memory per entry: session ${perSession.toFixed(0)} B, visitor claim ${perVisitor.toFixed(0)} B, identity claim ${perIdentity.toFixed(0)} B`,
    );
    expect(perSession).toBeLessThan(1024);
    expect(perVisitor).toBeLessThan(256);
    expect(perIdentity).toBeLessThan(256);
  } finally {
    await store.close();
    await admin.quit();
  }
});
