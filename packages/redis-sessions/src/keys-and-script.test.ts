import type { SessionCommit } from '@skopos/core';
import { type RedisTestServer, startRedisServer } from '@skopos/test-utils';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSessionStore } from './redis-session-store.ts';
import { testCommit } from './test-support/commits.ts';

let server: RedisTestServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer({ cluster: true }); // a cluster node answers CLUSTER KEYSLOT
  admin = new Redis(server.port, '127.0.0.1');
});
afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

/** Every key the store wrote under `prefix`, with its cluster slot. */
async function slotsUnder(prefix: string): Promise<Map<string, number>> {
  const keys = await admin.keys(`${prefix}:*`);
  const slots = await Promise.all(keys.map((key) => admin.cluster('KEYSLOT', key)));
  return new Map(keys.map((key, i) => [key, Number(slots[i])]));
}

async function commitAll(prefix: string, commits: SessionCommit[]): Promise<void> {
  const store = redisSessionStore({ url: server.url, prefix });
  try {
    for (const commit of commits) expect((await store.commit(commit)).status).toBe('committed');
  } finally {
    await store.close();
  }
}

describe('redisSessionStore key layout', () => {
  it("puts a site's session, identity and visitor keys in one slot, the one of its hash tag", async () => {
    await commitAll('layout', [testCommit('site-1', { key: 'k1' }), testCommit('site-1', { key: 'k2' })]);
    const slots = await slotsUnder('layout');
    expect([...slots.keys()].sort()).toEqual(
      expect.arrayContaining(['layout:{site-1}:s:k1', 'layout:{site-1}:s:k2']),
    );
    expect(slots.size, '2 sessions, 2 identities, 2 visitors').toBe(6);
    expect(new Set(slots.values())).toEqual(new Set([Number(await admin.cluster('KEYSLOT', 'site-1'))]));
  });

  it('escapes { } % in a website id: its keys stay in the slot of the whole id, apart from other sites', async () => {
    const braced = 'a}{b%';
    await commitAll('escaped', [testCommit(braced, { key: 'k' }), testCommit('a', { key: 'k' })]);
    const slots = await slotsUnder('escaped');
    const bracedKeys = [...slots.keys()].filter((key) => key.startsWith('escaped:{a%7D%7Bb%25}:'));
    expect(bracedKeys, 'session, identity and visitor of the braced site').toHaveLength(3);
    const bracedSlot = Number(await admin.cluster('KEYSLOT', 'a%7D%7Bb%25'));
    const plainSlot = Number(await admin.cluster('KEYSLOT', 'a'));
    expect(bracedSlot, 'the two sites hash apart (not cut at the first })').not.toBe(plainSlot);
    for (const key of bracedKeys) expect(slots.get(key)).toBe(bracedSlot);
    expect(slots.size - bracedKeys.length, "the plain site's keys").toBe(3);
  });
});

/** `calls=` of one command in `INFO commandstats` (0 when never called). */
async function calls(command: string): Promise<number> {
  const info = await admin.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('redisSessionStore commit script', () => {
  it('is sent once (EVAL), then run by its SHA (EVALSHA), and is sent again after SCRIPT FLUSH', async () => {
    await admin.script('FLUSH');
    await admin.config('RESETSTAT');
    const store = redisSessionStore({ url: server.url, prefix: 'script' });
    try {
      for (let i = 0; i < 20; i++)
        expect((await store.commit(testCommit('site-s'))).status).toBe('committed');
      expect(await calls('eval'), 'script texts sent').toBe(1);
      expect(await calls('evalsha'), 'commits by SHA (the first one answered NOSCRIPT)').toBe(20);
      await admin.script('FLUSH');
      for (let i = 0; i < 5; i++) expect((await store.commit(testCommit('site-s'))).status).toBe('committed');
      expect(await calls('eval'), 'sent again once after the flush').toBe(2);
      expect(await calls('evalsha')).toBe(25);
    } finally {
      await store.close();
    }
  });
});
