import { isDeepStrictEqual } from 'node:util';
import { BROWSER_HEADERS, monitorFieldsOf, monitorHttpRequests, monitorWsFrames } from '@skopos/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { trackerPlugin } from './plugin.ts';
import { readInjectedConfig, startVite, tempProject } from './test-support.ts';

type Read = { events: Array<Record<string, unknown>>; total: number };

/** Reads `url` until it holds `count` events (the in-memory pipeline writes every 0.5 s). */
async function readUntil(url: string, count: number): Promise<Read> {
  for (let attempt = 0; ; attempt++) {
    const body = (await (await fetch(url, { headers: { accept: 'application/json' } })).json()) as Read;
    if (body.total >= count || attempt >= 100) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each sent event, found back by its timestamp and type, with every field vite-plugin-monitor sent. */
function expectStoredAsSent(read: Read, sent: Array<Record<string, unknown>>): void {
  expect(read.total).toBe(sent.length);
  const remaining = [...read.events];
  for (const event of sent) {
    const fields = monitorFieldsOf(event);
    const index = remaining.findIndex((back) => isDeepStrictEqual(monitorFieldsOf(back), fields));
    expect(index, `${JSON.stringify(fields).slice(0, 300)} stored as sent`).toBeGreaterThanOrEqual(0);
    remaining.splice(index, 1);
  }
}

describe("vite-plugin-monitor clients' recorded traffic against the plugin", () => {
  // A project per test: the server modes log to <root>/logs and read the logs back at start, so a
  // shared root would hand one test's events to the next.
  const projects: Array<{ root: string; cleanup(): void }> = [];
  const project = () => {
    projects.push(tempProject());
    return projects.at(-1) as { root: string };
  };
  afterAll(() => {
    for (const each of projects) each.cleanup();
  });

  it.each(['1.7', '2.1'] as const)(
    'middleware mode stores every recorded HTTP batch of the %s client with every field and reads it back newest first',
    async (version) => {
      const vite = await startVite(
        project().root,
        trackerPlugin({ appId: 'my-app', storage: { mode: 'middleware' } }),
      );
      try {
        const requests = monitorHttpRequests(version);
        for (const request of requests) {
          const response = await fetch(`${vite.url}${request.path}`, {
            method: request.method,
            headers: { 'content-type': request.contentType, ...BROWSER_HEADERS, origin: vite.url },
            body: JSON.stringify(request.body),
          });
          expect(response.status).toBe(200);
        }
        const sent = requests.flatMap((request) => request.body.events);
        const read = await readUntil(`${vite.url}/_tracker`, sent.length);
        expectStoredAsSent(read, sent);
        const times = read.events.map((event) => String(event.timestamp));
        expect(times).toEqual([...times].sort().reverse());
        const ids = read.events.map((event) => event.id);
        expect(
          ids.every((id) => typeof id === 'string' && id !== ''),
          'the 2.x dashboard selects rows by id',
        ).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
      } finally {
        await vite.server.close();
      }
    },
  );

  it('standalone mode answers the recorded WebSocket frames with acks and the dashboard query with the events', async () => {
    const vite = await startVite(
      project().root,
      trackerPlugin({ appId: 'my-app', storage: { mode: 'standalone', port: 0 } }),
    );
    try {
      const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text());
      const base = String(config.readEndpoint).replace('http://localhost', 'ws://127.0.0.1');
      const socket = new WebSocket(`${base}/ws`, { headers: { ...BROWSER_HEADERS, origin: vite.url } });
      const messages: Array<Record<string, unknown>> = [];
      const waiters: Array<() => void> = [];
      socket.on('message', (data) => {
        messages.push(JSON.parse(String(data)) as Record<string, unknown>);
        for (const wake of waiters.splice(0)) wake();
      });
      const next = async (type: string): Promise<Record<string, unknown>> => {
        for (;;) {
          const index = messages.findIndex((message) => message.type === type);
          if (index >= 0) return messages.splice(index, 1)[0] as Record<string, unknown>;
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
      };
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const frames = monitorWsFrames('1.7');
      for (const frame of frames) {
        socket.send(JSON.stringify(frame));
        expect(await next('ack')).toMatchObject({ type: 'ack', saved: frame.events.length });
      }
      const sent = frames.flatMap((frame) => frame.events);
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const until = new Date(Date.now() + 60_000).toISOString();
      let response: Record<string, unknown> = {};
      for (let attempt = 0; attempt < 100; attempt++) {
        socket.send(JSON.stringify({ type: 'events:query', reqId: `q${attempt}`, query: { since, until } }));
        response = await next('events:response');
        if (((response.response as Read | undefined)?.total ?? 0) >= sent.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expectStoredAsSent(response.response as Read, sent);
      socket.close();
    } finally {
      await vite.server.close();
    }
  });
});
