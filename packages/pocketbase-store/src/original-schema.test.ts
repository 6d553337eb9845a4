import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deployOriginalSkoposSchema,
  quietPipeline,
  browserRequest as request,
  superuserClient,
  BROWSER_UA as UA,
} from './test-support/original-skopos-schema.ts';
import { rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// A PocketBase the original Skopos SDK wrote to, with both write paths to check.
const pocketbase = usePocketBase(undefined, { hooks: true });

describe("pocketbaseStore on the original Skopos SDK's PocketBase", () => {
  it.each(['batch', 'hook'] as const)(
    'stores page views, custom events and JS errors there (%s path), screen sizes kept across processes',
    async (writePath) => {
      const admin = await superuserClient(pocketbase().url);
      if (writePath === 'batch') await deployOriginalSkoposSchema(admin);
      const trackingId = `shop-${writePath}`;
      const site = await admin
        .collection('websites')
        .create({ trackingId, name: 'Shop', domain: 'shop.example', isArchived: false });
      const ip = writePath === 'batch' ? '203.0.113.7' : '203.0.113.8';
      const run = async (payloads: Record<string, unknown>[]) => {
        const store = storeFor(pocketbase(), { writePath });
        const skopos = quietPipeline(store);
        try {
          for (const payload of payloads) {
            expect(await skopos.track({ siteId: trackingId, payload, request: request(ip) })).toMatchObject({
              ok: true,
            });
          }
          await skopos.flush();
          expect(skopos.counters()).toMatchObject({ stored: payloads.length, pending: 0, storeFailures: 0 });
        } finally {
          await skopos.shutdown();
        }
        return store;
      };
      const url = (path: string) => `https://shop.example${path}`;
      await run([
        { type: 'pageView', url: url('/'), screenWidth: 1920, screenHeight: 1080 },
        { type: 'custom', url: url('/'), name: 'signup', customData: { plan: 'pro' } },
        { type: 'jsError', url: url('/'), errorMessage: 'TypeError: boom', stackTrace: 'at x (app.js:1:1)' },
      ]);
      // Another process (a restart) continues the session and writes its row again.
      const store = await run([
        { type: 'pageView', url: url('/pricing'), screenWidth: 1920, screenHeight: 1080 },
      ]);
      const events = await rowsOf(store, 'events', site.id);
      expect(events.map((event) => event.type).sort()).toEqual(['custom', 'jsError', 'pageView', 'pageView']);
      const sessions = await admin.collection('sessions').getFullList({ filter: `website = "${site.id}"` });
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ screenWidth: '1920', screenHeight: '1080' });
      const errors = await admin.collection('js_errors').getFullList({ filter: `website = "${site.id}"` });
      expect(errors).toHaveLength(1);
      // Its dashboard reads periods, durations (updated − created) and retention by PocketBase's
      // record times: every row has them, whichever path wrote it.
      const visitors = await admin.collection('visitors').getFullList({ filter: `website = "${site.id}"` });
      const eventRows = await admin
        .collection('events')
        .getFullList({ filter: `session = "${sessions[0]?.id}"` });
      for (const row of [...visitors, ...sessions, ...errors, ...eventRows]) {
        expect(row.created, JSON.stringify(row)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(row.updated >= row.created, JSON.stringify(row)).toBe(true);
      }
      // The hook writes a session's own times there: its length reads as it was.
      if (writePath === 'hook') {
        expect(sessions[0]).toMatchObject({
          created: sessions[0]?.startedAt,
          updated: sessions[0]?.lastActivityAt,
        });
        expect(eventRows.map((row) => row.created).sort()).toEqual(
          eventRows.map((row) => row.timestamp).sort(),
        );
      }
    },
    60_000,
  );
  it.each(['batch', 'hook'] as const)(
    "links a visitor the original SDK recorded to its own row with visitorIdMode 'legacy' (%s path), across a restart",
    async (writePath) => {
      const admin = await superuserClient(pocketbase().url);
      const trackingId = `legacy-${writePath}`;
      const site = await admin
        .collection('websites')
        .create({ trackingId, name: 'Legacy', domain: 'legacy.example', isArchived: false });
      const ip = writePath === 'batch' ? '198.51.100.7' : '198.51.100.8';
      // The original SDK's visitor id, its row's id picked by PocketBase.
      const visitorId = createHash('sha256').update(`${trackingId}-${ip}-${UA}`).digest('hex');
      const original = await admin.collection('visitors').create({ website: site.id, visitorId });
      for (const path of ['/', '/pricing']) {
        // One process per page view: the second finds the session under the original row's id.
        const store = storeFor(pocketbase(), { writePath });
        const skopos = quietPipeline(store, { visitorIdMode: 'legacy' });
        try {
          // The second process hears of the visitor first through a sign-in (`identify`).
          if (path !== '/') {
            const identified = await skopos.identify({
              siteId: trackingId,
              request: request(ip),
              userId: 'u-1',
            });
            expect(identified).toMatchObject({ ok: true });
          }
          const payload = { type: 'pageView', url: `https://legacy.example${path}` };
          expect(await skopos.track({ siteId: trackingId, payload, request: request(ip) })).toMatchObject({
            ok: true,
          });
          await skopos.flush();
          expect(skopos.counters()).toMatchObject({ stored: 1, pending: 0, storeFailures: 0 });
        } finally {
          await skopos.shutdown();
        }
      }
      const sessions = await admin.collection('sessions').getFullList({ filter: `website = "${site.id}"` });
      expect(sessions.map((session) => session.visitor)).toEqual([original.id]);
      expect(
        await admin.collection('visitors').getFullList({ filter: `website = "${site.id}"` }),
      ).toHaveLength(1);
    },
    60_000,
  );

  it('the hook route follows its record times being removed or added while PocketBase runs', async () => {
    const admin = await superuserClient(pocketbase().url);
    const trackingId = 'times-hook';
    const site = await admin
      .collection('websites')
      .create({ trackingId, name: 'Times', domain: 'times.example', isArchived: false });
    const send = async (path: string, withError: boolean) => {
      const store = storeFor(pocketbase(), { writePath: 'hook' });
      const skopos = quietPipeline(store);
      const url = `https://times.example${path}`;
      const payloads = [
        { type: 'pageView', url },
        ...(withError
          ? [{ type: 'jsError', url, errorMessage: 'TypeError: late', stackTrace: 'at y (app.js:2:2)' }]
          : []),
      ];
      try {
        for (const payload of payloads) {
          expect(
            await skopos.track({ siteId: trackingId, payload, request: request('192.0.2.44') }),
          ).toMatchObject({
            ok: true,
          });
        }
        await skopos.flush();
        await skopos.flushJsErrors();
        expect(skopos.counters()).toMatchObject({ stored: payloads.length, pending: 0, storeFailures: 0 });
      } finally {
        await skopos.shutdown();
      }
    };
    const tables = ['events', 'js_errors'];
    const times = new Map<string, { id?: string; name: string }[]>();
    for (const table of tables) {
      const { fields } = await admin.collections.getOne(table);
      times.set(
        table,
        fields.filter((field) => field.name === 'created' || field.name === 'updated'),
      );
    }
    await send('/a', false);
    // Removed by an admin: the hook's statements must stop naming them at once.
    for (const table of tables) {
      const { fields } = await admin.collections.getOne(table);
      await admin.collections.update(table, {
        fields: fields.filter((field) => field.name !== 'created' && field.name !== 'updated'),
      });
    }
    await send('/b', true);
    // Added back (rows written meanwhile read ''): written again at once, and a JS error's row
    // gets its times at its next merge.
    for (const table of tables) {
      const { fields } = await admin.collections.getOne(table);
      const readded = (times.get(table) ?? []).map(({ id: _, ...field }) => field);
      await admin.collections.update(table, { fields: [...fields, ...readded] });
    }
    const [stale] = await admin.collection('js_errors').getFullList({ filter: `website = "${site.id}"` });
    expect(stale).toMatchObject({ created: '', count: 1 });
    await send('/c', true);
    const rows = await admin
      .collection('events')
      .getFullList({ filter: `website = "${site.id}" && type = "pageView"`, sort: 'path' });
    expect(rows.map((row) => [row.path, row.created === '' ? 'none' : 'set'])).toEqual([
      ['/a', 'none'],
      ['/b', 'none'],
      ['/c', 'set'],
    ]);
    const [merged] = await admin.collection('js_errors').getFullList({ filter: `website = "${site.id}"` });
    expect(merged?.count).toBe(2);
    expect(merged?.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(merged?.updated >= merged?.created).toBe(true);
  }, 60_000);
});
