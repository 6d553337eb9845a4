import type { EventRecord, JsErrorDelta, SessionRecord } from '@skopos/core';
import { makeBatch, makeEvent, makeJsError, makeSession, makeVisitor } from '@skopos/core/testing';
import PocketBase from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { toPbDate } from './dates.ts';
import { deploySchema } from './ensure-schema.ts';
import { jsErrorFromRow, sessionFromRow } from './record-mapping.ts';
import { fullEvent } from './test-support/model-events.ts';
import { rowsOf, SUPERUSER, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';
import { SCHEMA_0_1 } from './test-support/schema-0.1.ts';

// A server that runs Skopos 0.1's schema with data; the hook is loaded so that both write paths
// can be checked after the upgrade.
const pocketbase = usePocketBase(undefined, { hooks: true });

const HOUR = 3_600_000;

/** A session as Skopos 0.1 stored it: no page-view count. */
function legacySession(session: SessionRecord): Omit<SessionRecord, 'pageViews'> {
  const { pageViews: _none, ...legacy } = session;
  return legacy;
}

/** Rows exactly as 0.1's store wrote them (its `sessionBody`, `eventBody` and js-error create). */
async function writeAs01(
  pb: PocketBase,
  rows: {
    sessions: Omit<SessionRecord, 'pageViews'>[];
    events: EventRecord[];
    jsErrors: Omit<JsErrorDelta, 'pages'>[];
  },
): Promise<void> {
  for (const s of rows.sessions) {
    await pb.collection('sessions').create({
      ...s,
      startedAt: toPbDate(s.startedAt),
      lastActivityAt: toPbDate(s.lastActivityAt),
    });
  }
  for (const e of rows.events) {
    await pb
      .collection('events')
      .create({ ...e, eventData: e.eventData ?? null, timestamp: toPbDate(e.timestamp) });
  }
  for (const d of rows.jsErrors) {
    await pb
      .collection('js_errors')
      .create({ ...d, firstSeen: toPbDate(d.firstSeen), lastSeen: toPbDate(d.lastSeen) });
  }
}

describe('pocketbaseStore: upgrading a Skopos 0.1 schema with data', () => {
  it('adds the 0.2 fields and indexes, keeps every row readable, then writes the 0.2 model on both paths', async () => {
    const pb = new PocketBase(pocketbase().url);
    await pb.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
    await deploySchema(pb, 500, SCHEMA_0_1);
    const site = await pb.collection('websites').create({ trackingId: 'legacy-site', name: 'Legacy' });
    const visitor = makeVisitor(site.id);
    await pb.collection('visitors').create(visitor);
    const engaged = makeSession(visitor, { eventCount: 3, isEngaged: true, duration: 40 });
    const bounced = makeSession(visitor, { startedAt: engaged.startedAt + 60_000 });
    const oldEvents = [
      makeEvent(engaged, { path: '/pricing' }),
      makeEvent(engaged, {
        type: 'custom',
        eventName: 'signup',
        eventData: { plan: 'pro' },
        timestamp: engaged.startedAt + 1,
      }),
      // 0.1's tracker stored its page-exit signal as a custom event.
      makeEvent(engaged, {
        type: 'custom',
        eventName: 'page-exit',
        eventData: { duration: 40 },
        timestamp: engaged.startedAt + 2,
      }),
      makeEvent(bounced, { type: 'jsError', eventName: 'TypeError: boom', timestamp: bounced.startedAt }),
    ];
    const { pages: _pages, ...oldError } = makeJsError(bounced, { count: 4 });
    await writeAs01(pb, {
      sessions: [legacySession(engaged), legacySession(bounced)],
      events: oldEvents,
      jsErrors: [oldError],
    });

    const store = storeFor(pocketbase(), { writePath: 'batch' });
    await store.ensureSchema();
    const collections = Object.fromEntries(
      (await store.client.collections.getFullList()).map((c) => [c.name, c]),
    );
    const fieldNames = (name: string) => collections[name]?.fields.map((field) => field.name) ?? [];
    expect(fieldNames('events')).toEqual(
      expect.arrayContaining([
        'receivedAt',
        'clockAdjusted',
        'appId',
        'level',
        'clientSessionId',
        'userId',
        'groupId',
        'context',
        'payload',
        'meta',
      ]),
    );
    expect(fieldNames('sessions')).toEqual(expect.arrayContaining(['pageViews', 'pageViewsKnown']));
    expect(fieldNames('js_errors')).toContain('pages');
    expect(collections.events?.indexes).toEqual(
      expect.arrayContaining([
        'CREATE INDEX idx_events_clientSessionId ON events (clientSessionId)',
        'CREATE INDEX idx_events_userId ON events (userId)',
      ]),
    );

    // The 0.1 rows read back as they were written: no 0.2 field appears on them.
    const range = { website: site.id, since: engaged.startedAt, until: engaged.startedAt + HOUR };
    expect((await store.query(range)).events).toEqual(oldEvents);
    const sessions = (await rowsOf(store, 'sessions', site.id)).map(sessionFromRow);
    expect(sessions).toEqual(expect.arrayContaining([legacySession(engaged), legacySession(bounced)]));
    for (const session of sessions)
      expect(session, 'a 0.1 row has no page-view count').not.toHaveProperty('pageViews');
    expect((await rowsOf(store, 'js_errors', site.id)).map(jsErrorFromRow)).toEqual([
      { ...oldError, pages: [] },
    ]);
    const stats = await store.stats(range);
    expect(stats, '0.1 sessions are judged by engagement alone, as 0.1 did: 1 of 2 bounced').toMatchObject({
      sessions: 2,
      pageviews: 1,
      bounceRate: 0.5,
      eventNames: [{ key: 'signup', count: 1 }],
      jsErrors: [{ errorHash: oldError.errorHash, count: 4, pages: [] }],
    });

    // 0.2 writes on the upgraded schema, through both paths: every field of every event kept, a
    // 0.1 session continued with a page-view count, js-error pages merged into a 0.1 row.
    const hook = storeFor(pocketbase(), { writePath: 'hook' });
    for (const [i, writer] of [store, hook].entries()) {
      const events = ['pageView', 'navigation', 'click'].map((type, j) =>
        fullEvent(bounced, type, 10 * i + j + 1),
      );
      const continued = { ...bounced, pageViews: i + 1, eventCount: 2 + i };
      await writer.write(
        makeBatch({
          sessions: [continued],
          events,
          jsErrors: [
            { ...makeJsError(bounced, { errorHash: oldError.errorHash, pages: [`/p${i}`, '/shared'] }) },
          ],
        }),
      );
      const read = await store.query({ ...range, since: events[0]?.timestamp ?? 0 });
      expect(
        read.events.slice(0, 3),
        `events written through ${writer === store ? 'the batch API' : 'the hook'}`,
      ).toEqual(events);
      const rows = (await rowsOf(store, 'sessions', site.id)).map(sessionFromRow);
      expect(rows.find((row) => row.id === bounced.id)).toEqual(continued);
    }
    expect((await rowsOf(store, 'js_errors', site.id)).map(jsErrorFromRow)).toEqual([
      { ...oldError, count: 6, pages: ['/p0', '/shared', '/p1'] },
    ]);

    const before = await store.client.collections.getFullList({ sort: 'name' });
    await store.ensureSchema();
    expect(
      await store.client.collections.getFullList({ sort: 'name' }),
      'a second run changes nothing',
    ).toEqual(before);
    await Promise.all([store.close(), hook.close()]);
  });
});
