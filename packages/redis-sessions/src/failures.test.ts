import { createServer, type Server, type Socket } from 'node:net';
import { SkoposError } from '@skopos/core';
import { type RedisTestServer, startRedisServer } from '@skopos/test-utils';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSessionsError } from './errors.ts';
import { redisSessionStore } from './redis-session-store.ts';
import { testCommit } from './test-support/commits.ts';

const TIMEOUT_MS = 400;
/** Scheduling on a busy machine: the bound proves "no hang", not a latency. */
const SLACK_MS = 1_000;
const started: RedisTestServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
});

async function start(port?: number): Promise<RedisTestServer> {
  const server = await startRedisServer(port === undefined ? {} : { port });
  started.push(server);
  return server;
}

/** The error `operation` fails with, and how long it took. */
async function failureOf(operation: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const begin = Date.now();
  const error = await operation().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return { error, ms: Date.now() - begin };
}

describe('redisSessionStore when Redis is not there', () => {
  it('answers a typed "unreachable" error within commandTimeoutMs, naming the URL without its password', async () => {
    const server = await start();
    await server.stop();
    const store = redisSessionStore({
      url: `redis://:hunter2@127.0.0.1:${server.port}`,
      commandTimeoutMs: TIMEOUT_MS,
    });
    try {
      for (const operation of [() => store.load('site', 'k'), () => store.commit(testCommit('site'))]) {
        const { error, ms } = await failureOf(operation);
        expect(error).toBeInstanceOf(RedisSessionsError);
        expect(error).toBeInstanceOf(SkoposError);
        expect(error).toMatchObject({ reason: 'unreachable', code: 'store_failed' });
        const { message } = error as Error;
        expect(message).toContain(`redis://127.0.0.1:${server.port}`);
        expect(message).not.toContain('hunter2');
        expect(ms, 'answered within the timeout (plus scheduling)').toBeLessThan(TIMEOUT_MS + SLACK_MS);
      }
    } finally {
      await store.close();
    }
  });

  it('answers "unreachable" when something accepts connections but never answers, and closes', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const store = redisSessionStore({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: TIMEOUT_MS });
    try {
      const { error, ms } = await failureOf(() => store.commit(testCommit('site')));
      expect(error).toMatchObject({ name: 'RedisSessionsError', reason: 'unreachable' });
      expect((error as Error).message).toContain(
        `no connection to Redis at redis://127.0.0.1:${port} was ready`,
      );
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    } finally {
      const { ms } = await failureOf(() => store.close());
      expect(ms, 'close does not hang either').toBeLessThan(TIMEOUT_MS + SLACK_MS);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('answers "timeout" when a connected Redis does not answer in time', async () => {
    const server = await start();
    const admin = new Redis(server.port, '127.0.0.1');
    const store = redisSessionStore({ url: server.url, commandTimeoutMs: TIMEOUT_MS });
    try {
      await store.ping();
      // Every client's writes wait until the UNPAUSE below (not a write, so it is not held up): a
      // pause long enough that a loaded machine cannot reach `commit` after it ran out.
      await admin.client('PAUSE', 60_000, 'WRITE');
      const { error, ms } = await failureOf(() => store.commit(testCommit('site')));
      expect(error).toMatchObject({ name: 'RedisSessionsError', reason: 'timeout' });
      expect((error as Error).message).toContain('may still have been applied');
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    } finally {
      await admin.client('UNPAUSE');
      await store.close();
      await admin.quit();
    }
  });

  it('works again once Redis is back on its address', async () => {
    const first = await start();
    // A deadline far above the bound below, so that a loaded machine's fast failure is never taken for it.
    const deadlineMs = 5_000;
    const store = redisSessionStore({ url: first.url, commandTimeoutMs: deadlineMs });
    try {
      expect((await store.commit(testCommit('site'))).status).toBe('committed');
      await first.stop();
      expect((await failureOf(() => store.load('site', 'k'))).error).toMatchObject({ reason: 'unreachable' });
      // Known down now: the next calls fail without waiting out the timeout (each event falls back at once).
      const again = await failureOf(() => store.commit(testCommit('site')));
      expect(again.error).toMatchObject({ reason: 'unreachable' });
      expect(again.ms, 'did not wait for the deadline').toBeLessThan(deadlineMs / 2);
      await start(first.port);
      const deadline = Date.now() + 10_000;
      let status = '';
      while (status !== 'committed' && Date.now() < deadline) {
        status = await store.commit(testCommit('site')).then(
          (result) => result.status,
          () => 'failed',
        );
        if (status !== 'committed') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status, 'a commit after the restart').toBe('committed');
    } finally {
      await store.close();
    }
  });
});

describe('redisSessionStore with odd data or options', () => {
  it('reports what Redis holds under a session key that it did not write', async () => {
    const server = await start();
    const admin = new Redis(server.port, '127.0.0.1');
    const store = redisSessionStore({ url: server.url });
    try {
      await admin.hset('skopos:{site}:s:hash', 'v', '1');
      await admin.set('skopos:{site}:s:garbage', '1|0|{not json');
      await admin.set('skopos:{site}:s:other', 'not a session');
      expect((await failureOf(() => store.load('site', 'hash'))).error).toMatchObject({ reason: 'rejected' });
      expect((await failureOf(() => store.load('site', 'other'))).error).toMatchObject({ reason: 'corrupt' });
      const overwrite = testCommit('site', { key: 'other' });
      expect(
        (await failureOf(() => store.commit(overwrite))).error,
        'a commit never overwrites it',
      ).toMatchObject({
        reason: 'corrupt',
      });
      expect(await admin.get('skopos:{site}:s:other')).toBe('not a session');
      expect((await failureOf(() => store.load('site', 'garbage'))).error).toMatchObject({
        reason: 'corrupt',
      });
    } finally {
      await store.close();
      await admin.quit();
    }
  });

  it('leaves a client it was given open, and refuses unclear options', async () => {
    const server = await start();
    const client = new Redis(server.port, '127.0.0.1');
    const store = redisSessionStore({ client });
    expect((await store.commit(testCommit('site'))).status).toBe('committed');
    await store.close();
    expect(await client.ping()).toBe('PONG');
    expect(() => redisSessionStore({ client, url: server.url })).toThrow(/exactly one of/);
    expect(() => redisSessionStore({})).toThrow(/exactly one of/);
    expect(() => redisSessionStore({ client, prefix: 'a{b}' })).toThrow(/must not contain/);
    expect(() => redisSessionStore({ client, commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/);
    await client.quit();
  });
});
