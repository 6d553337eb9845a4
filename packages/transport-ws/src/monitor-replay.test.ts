import {
  type MonitorEvent as PeerEvent,
  monitorViews as peerViews,
  recordedWsFrames as recordedFrames,
} from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WINDOW_EVENTS } from './events-query.ts';
import { CLOSE_POLICY_VIOLATION, type WireEvent } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { SITE, startWsTestServer, type WsTestServer } from './test-support.ts';

const eventsOf = (frame: string): PeerEvent[] => (JSON.parse(frame) as { events: PeerEvent[] }).events;

const YEARS = 10 * 365 * 24 * 60 * 60 * 1000;
const API_KEY = 'monitor-key';
const APP = { trackingId: 'my-app', domain: 'example.com' };

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

/** A server like the peer's `websocket` mode: an API key, its app's site; recorded client times believed. */
async function monitorServer(): Promise<WsTestServer> {
  server = await startWsTestServer({ apiKey: API_KEY, siteId: undefined }, [SITE, APP], {
    clockSkew: { pastMs: YEARS, futureMs: YEARS },
  });
  return server;
}

async function authed(url: string): Promise<RawClient> {
  const client = await openRaw(url);
  clients.push(client);
  client.send({ type: 'auth', key: API_KEY });
  expect(await client.next()).toEqual({ type: 'auth_ok' });
  return client;
}

describe.each(['1.7', '2.1'] as const)('vite-plugin-monitor %s client frames', (version) => {
  const frames = recordedFrames(version);
  const sent = frames.flatMap(eventsOf);

  it('are each acked with their event count and stored once with every field', async () => {
    const { url, skopos } = await monitorServer();
    const client = await authed(url);
    for (const frame of frames) {
      client.send(frame);
      expect(await client.next()).toEqual({
        type: 'ack',
        saved: eventsOf(frame).length,
        rejected: [],
        dropped: [],
      });
    }
    await skopos.flush();
    expect(skopos.counters().accepted).toBe(sent.length);

    const times = sent.map((event) => event.timestamp).sort();
    // The dashboard's window, bounds included: the oldest and newest events sit exactly on them.
    client.send({
      type: 'events:query',
      reqId: 'k3x9a',
      query: { since: times[0], until: times[times.length - 1] },
    });
    const answer = await client.nextOf('events:response');
    expect(answer).toMatchObject({
      reqId: 'k3x9a',
      response: { total: sent.length, page: 1, limit: MAX_WINDOW_EVENTS },
    });
    const read = answer.response.events;
    expect(peerViews(read as unknown as Record<string, unknown>[])).toEqual(peerViews(sent));
    const readTimes = read.map((event) => event.timestamp);
    expect(readTimes, 'newest first').toEqual([...readTimes].sort().reverse());
    const ids = read.map((event) => event.id);
    expect(
      ids.every((id) => typeof id === 'string' && id !== ''),
      'the server assigns ids',
    ).toBe(true);
    expect(new Set(ids).size, 'ids are unique').toBe(sent.length);
    for (const event of read) expect(event.meta.route).toEqual(expect.any(String));
  });
});

describe('vite-plugin-monitor dialect', () => {
  it('closes with 1008 after an error message on a wrong key, storing nothing', async () => {
    const { url, skopos } = await monitorServer();
    const client = await openRaw(url);
    clients.push(client);
    client.send({ type: 'auth', key: 'not-the-key' });
    expect(await client.next()).toMatchObject({ type: 'error', message: expect.stringMatching(/key/) });
    expect((await client.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    const [frame] = recordedFrames('1.7');
    const late = await openRaw(url);
    clients.push(late);
    late.send(frame);
    expect((await late.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    expect((await skopos.query({})).total).toBe(0);
  });

  it('acks what it saved and lists each refusal, so a bad event never holds the batch', async () => {
    const { url } = await monitorServer();
    const client = await authed(url);
    const [good] = eventsOf(recordedFrames('2.1')[0] as string) as [PeerEvent];
    client.send({
      type: 'ingest',
      events: [
        good,
        { ...good, payload: { action: 'pause' }, type: 'session' },
        { ...good, appId: 'no-such-app' },
      ],
    });
    const ack = await client.nextOf('ack');
    expect(ack).toMatchObject({ saved: 1, dropped: [] });
    expect(ack).not.toHaveProperty('id');
    expect(ack.rejected.map((entry) => [entry.index, entry.issues[0]?.field])).toEqual([
      [1, expect.stringMatching(/^payload/)],
      [2, 'appId'],
    ]);
  });

  it('answers events:query with Skopos events in the peer shape too', async () => {
    const { url } = await monitorServer();
    const client = await authed(url);
    client.send({
      type: 'ingest',
      id: 'own',
      events: [{ type: 'pageView', url: 'https://example.com/pricing', siteId: SITE.trackingId }],
    });
    await client.nextOf('ack');
    client.send({ type: 'events:query', reqId: 'r', query: {} });
    const [event] = (await client.nextOf('events:response')).response.events as [WireEvent];
    expect(event).toMatchObject({
      type: 'pageView',
      level: 'info',
      appId: SITE.trackingId,
      userId: '',
      payload: { to: '/pricing' },
      meta: { route: '/pricing' },
    });
    expect(event.sessionId).toBe(event.session);
  });
});
