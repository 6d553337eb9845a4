import { describe, expect, it } from 'vitest';
import { useSockets } from './test-sockets.ts';
import { SITE, startWsTestServer } from './test-support.ts';

const APP = { trackingId: 'my-app', domain: 'example.com' };
const sockets = useSockets();

/** A vite-plugin-monitor 2.x event of one tab, a minute ago + `offset` ms (its client sends `id: ""`). */
function monitorEvent(type: string, payload: Record<string, unknown>, offset = 0): Record<string, unknown> {
  return {
    id: '',
    timestamp: new Date(Date.now() - 60_000 + offset).toISOString(),
    level: 'info',
    type,
    appId: APP.trackingId,
    sessionId: 'sess_1',
    userId: 'anon_1',
    payload,
    meta: { userAgent: 'Mozilla/5.0', route: '/app', viewport: '800x600', language: 'en' },
  };
}

describe("vite-plugin-monitor's ingest frames", () => {
  it('take its whole batch in one frame: 25 console events at its default capture limits (~0.5 MB)', async () => {
    const server = sockets.serve(await startWsTestServer({ siteId: undefined }, [SITE, APP]));
    const events = Array.from({ length: 25 }, (_, i) => {
      const args = Array.from({ length: 10 }, (_, a) => ({
        type: 'string',
        value: `${i}:${a}`.padEnd(1024, 'x'),
      }));
      const message = args.map((arg) => arg.value).join(' ');
      return monitorEvent('console', { method: 'log', message, args }, i);
    });
    const frame = { type: 'ingest', events };
    expect(JSON.stringify(frame).length).toBeGreaterThan(450_000);
    const client = await sockets.open(server.url);
    client.send(frame);
    expect(await client.nextOf('ack')).toMatchObject({ saved: 25, rejected: [] });
    await server.skopos.flush();
    expect(server.store.query({}).events.filter((event) => event.type === 'console')).toHaveLength(25);
  });

  it('store identical events as many times as they were sent, on one socket and after a reconnect', async () => {
    const server = sockets.serve(await startWsTestServer({ siteId: undefined }, [SITE, APP]));
    const tick = monitorEvent('console', { method: 'log', message: 'tick', args: [] });
    const first = await sockets.open(server.url);
    first.send({ type: 'ingest', events: [tick, tick, tick] });
    expect(await first.nextOf('ack')).toMatchObject({ saved: 3 });
    // The same frame again: copies of stored events, acknowledged (so that a client stops), not stored again.
    first.send({ type: 'ingest', events: [tick, tick, tick] });
    expect(await first.nextOf('ack')).toMatchObject({ saved: 3 });
    // After a reconnect, four copies: only the fourth is new.
    const second = await sockets.open(server.url);
    second.send({ type: 'ingest', events: [tick, tick, tick, tick] });
    expect(await second.nextOf('ack')).toMatchObject({ saved: 4 });
    await server.skopos.flush();
    expect(server.skopos.counters().duplicates).toBe(6);
    expect(server.store.query({}).events.filter((event) => event.type === 'console')).toHaveLength(4);
  });
});
