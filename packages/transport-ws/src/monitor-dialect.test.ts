import { MAX_LISTED_PER_REASON } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WINDOW_EVENTS } from './events-query.ts';
import type { EventsQuery } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { pageView, SITE, startWsTestServer, type WsTestServer } from './test-support.ts';

const APP = { trackingId: 'my-app', domain: 'example.com' };
/** Whole seconds a minute ago: times the default clock skew believes. */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const at = (second: number): string => new Date(BASE + second * 1000).toISOString();

/** A vite-plugin-monitor 2.x `custom` event (its client sends `id: ""`). */
function monitorEvent(second: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '',
    timestamp: at(second),
    level: 'info',
    type: 'custom',
    appId: APP.trackingId,
    sessionId: 'sess_1',
    userId: 'anon_1',
    payload: { name: `tick-${second}` },
    meta: { userAgent: 'Mozilla/5.0', route: '/app', viewport: '800x600', language: 'en' },
    ...extra,
  };
}

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

async function connect(query = ''): Promise<RawClient> {
  server ??= await startWsTestServer({ siteId: undefined }, [SITE, APP]);
  const client = await openRaw(`${server.url}${query}`);
  clients.push(client);
  return client;
}

async function ingest(client: RawClient, events: unknown[]): Promise<void> {
  client.send({ type: 'ingest', events });
  expect(await client.nextOf('ack')).toMatchObject({ saved: events.length });
}

let reqIds = 0;
async function eventsQuery(client: RawClient, query: EventsQuery) {
  const reqId = `q${reqIds++}`;
  client.send({ type: 'events:query', reqId, query });
  const answer = await client.nextOf('events:response');
  expect(answer.reqId).toBe(reqId);
  return { ...answer.response, names: answer.response.events.map((event) => event.payload.name) };
}

describe('ingest without an id (vite-plugin-monitor)', () => {
  it('lists the same refusal at most MAX_LISTED_PER_REASON times and counts the rest', async () => {
    const client = await connect();
    const bad = { ...monitorEvent(0), type: 'click', payload: 'not an object' };
    client.send({ type: 'ingest', events: [monitorEvent(1), ...Array.from({ length: 150 }, () => bad)] });
    const ack = await client.nextOf('ack');
    expect(ack.saved).toBe(1);
    expect(ack.rejected.map((entry) => entry.index)).toEqual([1, 2, 3, 4, 5]);
    expect(ack.omitted).toBe(150 - MAX_LISTED_PER_REASON);
  });

  it('does not count engagement signals as saved events', async () => {
    const client = await connect();
    const signal = {
      type: 'engagement',
      url: 'https://example.com/a',
      duration: 12,
      siteId: SITE.trackingId,
    };
    client.send({
      type: 'ingest',
      id: 'with-signal',
      events: [pageView('/a', { siteId: SITE.trackingId }), signal],
    });
    expect(await client.nextOf('ack')).toMatchObject({ id: 'with-signal', saved: 1, signals: 1 });
    const counters = server?.skopos.counters();
    expect([counters?.accepted, counters?.signals]).toEqual([1, 1]);
  });

  it('acks an empty batch as the peer server does', async () => {
    const client = await connect();
    client.send({ type: 'ingest', events: [] });
    expect(await client.next()).toEqual({ type: 'ack', saved: 0, rejected: [], dropped: [] });
  });
});

describe('events:query', () => {
  it('keeps since and until inclusive and after exclusive, newest first', async () => {
    const client = await connect();
    await ingest(
      client,
      [0, 1, 2, 3, 4].map((second) => monitorEvent(second)),
    );
    const window = await eventsQuery(client, { since: at(1), until: at(3) });
    expect(window.names).toEqual(['tick-3', 'tick-2', 'tick-1']);
    expect(window).toMatchObject({ total: 3, page: 1, limit: MAX_WINDOW_EVENTS });
    expect((await eventsQuery(client, { since: at(0), after: at(1) })).names).toEqual([
      'tick-4',
      'tick-3',
      'tick-2',
    ]);
    // A range that ends before it starts holds nothing (vite-plugin-monitor's date picker allows it).
    expect(await eventsQuery(client, { since: at(3), until: at(1) })).toMatchObject({ names: [], total: 0 });
  });

  it('pages with limit and page, and filters like the HTTP read', async () => {
    const client = await connect();
    await ingest(client, [
      monitorEvent(0),
      monitorEvent(1, { level: 'warn', userId: 'user-7' }),
      monitorEvent(2),
      monitorEvent(3, { level: 'warn' }),
      monitorEvent(4),
    ]);
    expect(await eventsQuery(client, { limit: 2, page: 2 })).toMatchObject({
      names: ['tick-2', 'tick-1'],
      total: 5,
      page: 2,
      limit: 2,
    });
    expect((await eventsQuery(client, { level: 'warn' })).names).toEqual(['tick-3', 'tick-1']);
    expect((await eventsQuery(client, { userId: 'user-7' })).names).toEqual(['tick-1']);
  });

  it('reads every site unless the URL names one; appId narrows it', async () => {
    const client = await connect();
    await ingest(client, [monitorEvent(0), pageView('/own', { siteId: SITE.trackingId, ts: BASE + 1000 })]);
    const all = await eventsQuery(client, {});
    expect(all.events.map((event) => event.appId)).toEqual([SITE.trackingId, APP.trackingId]);
    expect((await eventsQuery(client, { appId: APP.trackingId })).names).toEqual(['tick-0']);
    const scoped = await connect(`?site=${SITE.trackingId}`);
    expect((await eventsQuery(scoped, {})).events.map((event) => event.path)).toEqual(['/own']);
  });

  it('answers the whole window without a limit, across the store pages', async () => {
    const client = await connect();
    const views = Array.from({ length: 1200 }, (_, i) =>
      pageView(`/p${i}`, { siteId: SITE.trackingId, ts: BASE + i }),
    );
    for (let from = 0; from < views.length; from += 400) await ingest(client, views.slice(from, from + 400));
    const window = await eventsQuery(client, {});
    expect(window.total).toBe(1200);
    expect(window.events).toHaveLength(1200);
    expect(window.events[0]?.path).toBe('/p1199');
    expect(new Set(window.events.map((event) => event.id)).size).toBe(1200);
  });

  it('answers a malformed query with an error naming the field and its reqId', async () => {
    const client = await connect();
    client.send({ type: 'events:query', reqId: 'bad', query: { since: 'yesterday' } });
    expect(await client.next()).toMatchObject({
      type: 'error',
      reqId: 'bad',
      message: expect.stringMatching(/query\.since/),
    });
    // A day the month does not have is refused, not read as the 1st of the next month.
    client.send({ type: 'events:query', reqId: 'feb', query: { until: '2024-02-30T00:00:00Z' } });
    expect(await client.next()).toMatchObject({
      type: 'error',
      reqId: 'feb',
      message: expect.stringMatching(/query\.until/),
    });
  });
});
