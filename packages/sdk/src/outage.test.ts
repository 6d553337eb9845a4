import { setTimeout as sleep } from 'node:timers/promises';
import { type LogLevel, silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { type PocketBaseStore, pocketbaseStore } from '@skopos/pocketbase-store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SdkTrackResult } from './results.ts';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS } from './test-support.ts';

const SUPERUSER = { email: 'admin@skopos.test', password: 'skopos-test-password' };
const MAX_QUEUE = 2000;
const MAX_BATCH = 20;

let pb: PocketBaseInstance;
let admin: PocketBaseStore;

beforeAll(async () => {
  // A loaded CI machine may need more than the default 15 s to bring PocketBase back after `resume()`.
  pb = await startPocketBase({ superuser: SUPERUSER, startTimeoutMs: 60_000 });
  admin = pocketbaseStore({
    url: pb.url,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    logger: silentLogger,
  });
  await admin.createWebsite({ trackingId: 'site-outage', domain: 'example.com' });
});

afterAll(async () => {
  await admin?.close();
  await pb?.stop();
});

it('PocketBase stopped for 10 s under steady load: every accepted event stored once, memory bounded, outage logged once', async () => {
  const lines: Array<{ level: LogLevel; message: string }> = [];
  const skopos = await SkoposSDK.init({
    pocketbaseUrl: pb.url,
    siteId: 'site-outage',
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    batch: true,
    batchInterval: 200,
    maxBatchSize: MAX_BATCH,
    maxQueueSize: MAX_QUEUE,
    logSink: (level, message) => lines.push({ level, message }),
  });

  // The steady load: three events every 50 ms from twenty visitors, running through the whole outage.
  const results: Array<Promise<SdkTrackResult>> = [];
  let peakPendingWhileDown = 0;
  let down = false;
  const load = setInterval(() => {
    for (let k = 0; k < 3; k++) {
      const i = results.length;
      const req = { headers: BROWSER_HEADERS, socket: { remoteAddress: `203.0.113.${i % 20}` } };
      results.push(skopos.trackApiEvent(req, { type: 'pageView', url: `https://example.com/p/${i}` }));
    }
    if (down) peakPendingWhileDown = Math.max(peakPendingWhileDown, skopos.counters().pending);
  }, 50);

  try {
    await sleep(1000);
    await pb.pause();
    down = true;
    await sleep(10_000);
    await pb.resume();
    down = false;
    await sleep(1000);
  } finally {
    clearInterval(load);
  }
  const accepted = (await Promise.all(results)).filter((result) => result.ok).length;
  await skopos.shutdown();

  // Nearly every event of the outage waited in memory, and never more than the configured bound.
  expect(peakPendingWhileDown).toBeGreaterThan(100);
  expect(peakPendingWhileDown).toBeLessThanOrEqual(MAX_QUEUE + MAX_BATCH);
  expect(accepted).toBe(results.length);
  expect(skopos.counters()).toMatchObject({ accepted, stored: accepted, pending: 0 });
  const website = (await admin.getWebsite('site-outage'))?.id as string;
  const filter = admin.client.filter('website = {:website}', { website });
  const events = await admin.client.collection('events').getFullList({ filter, fields: 'id,path' });
  expect(events).toHaveLength(accepted);
  expect(new Set(events.map((e) => e.path)).size).toBe(accepted);
  expect(await admin.client.collection('visitors').getFullList({ filter })).toHaveLength(20);
  const outage = lines.filter((line) => line.level === 'warn' && line.message.includes('store write failed'));
  expect(outage).toHaveLength(1);
  expect(lines.filter((line) => line.message.includes('store write recovered'))).toHaveLength(1);
  // One reconnect loop for the website subscription, not a new one (and a new stream) per failed attempt.
  expect(
    lines.filter((line) => line.message.includes('realtime connection to PocketBase lost')),
  ).toHaveLength(1);
}, 60_000);
