import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { type PocketBaseStore, pocketbaseStore } from '@skopos/pocketbase-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadScript, SAME_VISITORS, SIGTERM_UNDER_LOAD } from './load-snippets.ts';
import { BROWSER_HEADERS } from './test-support.ts';

// Issue 3's reliability checks that need real processes: a SIGTERM in the middle of a load, and
// two SDK processes racing on the same visitors.
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
  await admin.createWebsite({ trackingId: 'site-load', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-procs', domain: 'example.com' });
});

afterAll(async () => {
  await admin?.close();
  await pb?.stop();
});

const env = (siteId: string, batch: boolean) => ({
  POCKETBASE_URL: pb.url,
  SKOPOS_SITE_ID: siteId,
  PB_ADMIN_EMAIL: SUPERUSER.email,
  PB_ADMIN_PASSWORD: SUPERUSER.password,
  BATCH: String(batch),
  UA: BROWSER_HEADERS['user-agent'] as string,
});

async function rows(collection: string, siteId: string) {
  const website = (await admin.getWebsite(siteId))?.id as string;
  const filter = admin.client.filter('website = {:website}', { website });
  return admin.client.collection(collection).getFullList({ filter, fields: 'id,path,visitorId' });
}

describe('SkoposSDK processes over a real PocketBase', () => {
  it('SIGTERM during a steady load: the events stored are exactly the events the process accepted', async () => {
    const app = await runLoadScript(SIGTERM_UNDER_LOAD, env('site-load', true));
    await sleep(1000);
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual([0, null]);

    const accepted = app.accepted();
    // More than one full batch: some events were written by size, the rest only by shutdown().
    expect(accepted, app.output()).toBeGreaterThan(100);
    const events = await rows('events', 'site-load');
    expect(events).toHaveLength(accepted);
    expect(new Set(events.map((e) => e.path)).size).toBe(accepted);
  }, 60_000);

  it('two processes sending the same visitors at once write one visitor record per visitor', async () => {
    const apps = await Promise.all([
      runLoadScript(SAME_VISITORS, env('site-procs', false)),
      runLoadScript(SAME_VISITORS, env('site-procs', false)),
    ]);
    for (const app of apps) app.child.stdin.end('GO\n');
    for (const app of apps) expect(await app.exited, app.output()).toEqual([0, null]);

    expect(apps.map((app) => app.accepted())).toEqual([20, 20]);
    const visitors = await rows('visitors', 'site-procs');
    expect(visitors).toHaveLength(20);
    expect(new Set(visitors.map((v) => v.visitorId)).size).toBe(20);
    expect(await rows('events', 'site-procs')).toHaveLength(40);
  }, 60_000);
});
