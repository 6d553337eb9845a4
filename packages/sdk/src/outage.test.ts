import { setTimeout as sleep } from 'node:timers/promises';
import { type LogLevel, silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { type PocketBaseStore, pocketbaseStore } from '@skopos/pocketbase-store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS } from './test-support.ts';

const SUPERUSER = { email: 'admin@skopos.test', password: 'skopos-test-password' };

let pb: PocketBaseInstance;
let admin: PocketBaseStore;

beforeAll(async () => {
  pb = await startPocketBase({ superuser: SUPERUSER });
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

it('PocketBase stopped mid-load and restarted: every accepted event is stored once, the outage logged once', async () => {
  const lines: Array<{ level: LogLevel; message: string }> = [];
  const skopos = await SkoposSDK.init({
    pocketbaseUrl: pb.url,
    siteId: 'site-outage',
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    batch: true,
    batchInterval: 100,
    logSink: (level, message) => lines.push({ level, message }),
  });
  let accepted = 0;
  // A steady trickle from ten visitors (a new one every 10 events), with real time between events.
  const send = async (from: number, count: number): Promise<void> => {
    for (let i = from; i < from + count; i++) {
      const req = { headers: BROWSER_HEADERS, socket: { remoteAddress: `203.0.113.${Math.floor(i / 10)}` } };
      const result = await skopos.trackApiEvent(req, { type: 'pageView', url: `https://example.com/p/${i}` });
      if (result.ok) accepted++;
      await sleep(10);
    }
  };

  await send(0, 30);
  await pb.pause();
  await send(30, 30);
  await sleep(500); // a few write attempts fail while it is down
  await pb.resume();
  await send(60, 40);
  await skopos.shutdown();

  expect(accepted).toBe(100);
  expect(skopos.counters()).toMatchObject({ accepted: 100, stored: 100, pending: 0 });
  const website = (await admin.getWebsite('site-outage'))?.id as string;
  const filter = admin.client.filter('website = {:website}', { website });
  const events = await admin.client.collection('events').getFullList({ filter });
  expect(events).toHaveLength(100);
  expect(new Set(events.map((e) => e.path)).size).toBe(100);
  expect(await admin.client.collection('visitors').getFullList({ filter })).toHaveLength(10);
  const outage = lines.filter((line) => line.level === 'warn' && line.message.includes('store write failed'));
  expect(outage).toHaveLength(1);
  expect(lines.some((line) => line.message.includes('store write recovered'))).toBe(true);
});
