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
        monitorEvent(at + 1, { type: 'navigation', payload: { from: '/' } }),
        monitorEvent(at + 2, { payload: { tag: 'a', text: 'after' } }),
      ],
    });
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected).toEqual([
      { index: 1, issues: [{ field: 'events.1.payload.to', reason: expect.any(String) }] },
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
