import { afterEach, describe, expect, it } from 'vitest';
import { monitorEvent, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

interface Outcome {
  accepted: number;
  signals: number;
  dropped: { index: number; reason: string }[];
  rejected: { index: number; issues: { field: string; reason: string }[] }[];
}

async function readAll(
  s: TestServer,
): Promise<{ id: string; payload: Record<string, unknown>; appId: string }[]> {
  await s.skopos.flush();
  const response = await fetch(`${s.base}?order=asc`);
  return (
    (await response.json()) as { events: { id: string; payload: Record<string, unknown>; appId: string }[] }
  ).events;
}

describe('POST /_tracker/events with vite-plugin-monitor’s body', () => {
  it("stores three identical console.log('tick') of one batch as three events, and the batch re-sent as none", async () => {
    server = await startTestServer();
    const at = Date.now() - 5000;
    const tick = monitorEvent(at, { type: 'console', payload: { method: 'log', message: 'tick', args: [] } });
    const body = { type: 'ingest', events: [tick, tick, tick] };
    const first = (await (await server.post(body)).json()) as Outcome & { duplicates?: number };
    const again = (await (await server.post(body)).json()) as Outcome & { duplicates?: number };
    expect(first).toMatchObject({ accepted: 3, rejected: [] });
    expect(again).toMatchObject({ accepted: 3, duplicates: 3 });
    const stored = await readAll(server);
    expect(stored.map((event) => event.payload.message)).toEqual(['tick', 'tick', 'tick']);
    expect(new Set(stored.map((event) => event.id)).size).toBe(3);
  });

  it("stores 30 identical ticks its client's queue splits into 25 + 5 as 30 events", async () => {
    server = await startTestServer();
    const tick = monitorEvent(Date.now() - 5000, {
      type: 'console',
      payload: { method: 'log', message: 'tick', args: [] },
    });
    const post = async (count: number) =>
      (await (await server.post({ type: 'ingest', events: Array(count).fill(tick) })).json()) as Outcome & {
        duplicates?: number;
      };
    expect(await post(25)).toMatchObject({ accepted: 25, rejected: [] });
    const second = await post(5);
    expect(second).toMatchObject({ accepted: 5, rejected: [] });
    expect(second.duplicates).toBeUndefined();
    expect(await readAll(server)).toHaveLength(30);
  });

  it("stores all of a ~0.5 MB batch of console events at its client's default capture limits, each payload cut to 16 KB", async () => {
    server = await startTestServer();
    const at = Date.now() - 5000;
    // Its console tracker keeps 10 arguments of up to 1024 characters each, and the message besides.
    const events = Array.from({ length: 25 }, (_, i) => {
      const args = Array.from({ length: 10 }, (_, a) => ({
        type: 'string',
        value: `${i}:${a}`.padEnd(1024, 'x'),
      }));
      const message = args.map((arg) => arg.value).join(' ');
      return monitorEvent(at + i, {
        type: 'console',
        payload: { method: 'log', message, args, groupDepth: 0 },
      });
    });
    const body = JSON.stringify({ type: 'ingest', events });
    expect(body.length).toBeGreaterThan(450_000);
    const response = await server.post(body, { raw: true });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Outcome).rejected).toEqual([]);
    const stored = await readAll(server);
    expect(stored).toHaveLength(25);
    for (const event of stored) {
      expect(new TextEncoder().encode(JSON.stringify(event.payload)).byteLength).toBeLessThanOrEqual(16_384);
      expect(event.payload.method).toBe('log');
      expect(String(event.payload.message).endsWith('…')).toBe(true);
    }
  });

  it('stores { type: "ingest", events } sent as JSON, as a text/plain beacon and as a JSON Blob, the site from appId', async () => {
    server = await startTestServer();
    const at = Date.now() - 5000;
    const json = await server.post({
      type: 'ingest',
      events: [monitorEvent(at, { payload: { tag: 'a', text: 'json' } })],
    });
    const text = await server.post(
      JSON.stringify({
        type: 'ingest',
        events: [monitorEvent(at + 1, { payload: { tag: 'a', text: 'text' } })],
      }),
      { raw: true, headers: { 'content-type': 'text/plain;charset=UTF-8' } },
    );
    const blob = await fetch(`${server.base}/events`, {
      method: 'POST',
      headers: {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36',
        'accept-language': 'en',
      },
      body: new Blob(
        [
          JSON.stringify({
            type: 'ingest',
            events: [monitorEvent(at + 2, { payload: { tag: 'a', text: 'blob' } })],
          }),
        ],
        {
          type: 'application/json',
        },
      ),
    });
    for (const response of [json, text, blob]) {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: 1, signals: 0, dropped: [], rejected: [] });
    }
    const stored = await readAll(server);
    expect(stored.map((event) => event.payload.text)).toEqual(['json', 'text', 'blob']);
    expect(stored.every((event) => event.appId === SITE.trackingId)).toBe(true);
  });

  it('accepts the 2.x client’s id "" and gives every event its own id', async () => {
    server = await startTestServer();
    const at = Date.now() - 5000;
    const events = [0, 1, 2].map((i) =>
      monitorEvent(at + i, { id: '', payload: { tag: 'a', text: `e${i}` } }),
    );
    const response = await server.post({ type: 'ingest', events });
    expect(await response.json()).toMatchObject({ accepted: 3, rejected: [] });
    const ids = (await readAll(server)).map((event) => event.id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).not.toBe('');
  });

  it('does not let an invalid event block its batch: 200, the others stored, the field and reason named', async () => {
    server = await startTestServer();
    const at = Date.now() - 5000;
    const response = await server.post({
      type: 'ingest',
      events: [
        monitorEvent(at, { payload: { tag: 'a', text: 'before' } }),
        monitorEvent(at + 1, { type: 'session', payload: { action: 'pause' } }),
        monitorEvent(at + 2, { payload: { tag: 'a', text: 'after' } }),
      ],
    });
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected).toEqual([
      { index: 1, issues: [{ field: 'events.1.payload.action', reason: expect.any(String) }] },
    ]);
    expect((await readAll(server)).map((event) => event.payload.text)).toEqual(['before', 'after']);
  });

  it('counts Skopos’ engagement signals apart from the events it accepted', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post({
      events: [pageView('/a'), { type: 'engagement', url: 'https://example.com/a', duration: 12 }],
    });
    expect(await response.json()).toEqual({ accepted: 1, signals: 1, dropped: [], rejected: [] });
    expect(server.skopos.counters()).toMatchObject({ accepted: 1, signals: 1 });
  });
});
