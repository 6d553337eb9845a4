import { type Store, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from './cli-args.ts';
import type { RunningServer } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...BROWSER_HEADERS, ...headers }, body });
}

describe('startServer', () => {
  it('listens on a free port, stores posted events and reads them back', async () => {
    server = await startServer({ port: 0, logger: silentLogger });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.endpoints.write).toBe(`${server.url}/_tracker/events`);
    const response = await post(server.endpoints.write, batchOf(['/a', '/b'], 'any-app'));
    expect(response.status).toBe(200);
    await server.skopos.flush();
    const read = await fetch(`${server.endpoints.read}?site=any-app&order=asc`);
    const body = (await read.json()) as { events: { path: string }[]; total: number };
    expect(body.total).toBe(2);
    expect(body.events.map((event) => event.path)).toEqual(['/a', '/b']);
    expect(server.endpoints.websocket).toBe(`${server.url.replace('http', 'ws')}/_tracker/ws`);
    expect((await fetch(server.endpoints.ping)).status).toBe(200);
  });

  it('without sites, lists a site once it has events: a mistyped read or a bot adds none', async () => {
    server = await startServer({ port: 0, logger: silentLogger, dashboard: false });
    const sites = async () =>
      (
        (await (await fetch(`${server?.url}/_tracker/sites`)).json()) as { sites: { trackingId: string }[] }
      ).sites.map((site) => site.trackingId);
    expect((await fetch(`${server.endpoints.stats}?site=shpo`)).status).toBe(200);
    const bot = await post(server.endpoints.write, batchOf(['/'], 'crawled'), { 'user-agent': 'curl/8.5.0' });
    expect(await bot.json()).toMatchObject({ accepted: 0 });
    expect(await post(server.endpoints.write, batchOf(['/'], 'shop'))).toHaveProperty('status', 200);
    await server.skopos.flush();
    expect(await sites()).toEqual(['shop']);
  });

  it('serve --keep-bots stores what a headless browser sends, which is dropped as a bot by default', async () => {
    const headless = {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    };
    const command = parseCli(['serve', '--port', '0', '--keep-bots'], {});
    if (command.kind !== 'serve') throw new Error(`not serve: ${JSON.stringify(command)}`);
    server = await startServer({ ...command.options, logger: silentLogger, dashboard: false });
    const kept = await post(server.endpoints.write, batchOf(['/checked'], 'shop'), headless);
    expect(await kept.json()).toMatchObject({ accepted: 1 });
    await server.close();
    server = await startServer({ port: 0, logger: silentLogger, dashboard: false });
    const dropped = await post(server.endpoints.write, batchOf(['/checked'], 'shop'), headless);
    expect(await dropped.json()).toMatchObject({ accepted: 0, dropped: [{ index: 0, reason: 'bot' }] });
  });

  it('answers bad input with 4xx, and ignores a spoofed X-Forwarded-For (Hono on Node)', async () => {
    server = await startServer({ port: 0, logger: silentLogger, pipeline: { visitorIdMode: 'legacy' } });
    const big = await post(
      server.endpoints.write,
      JSON.stringify({ events: [{ pad: 'x'.repeat(1_100_000) }] }),
    );
    expect(big.status).toBe(413);
    const garbage = await post(server.endpoints.write, '\u0000{not json');
    expect(garbage.status).toBe(400);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
    const first = await post(server.endpoints.write, batchOf(['/a'], 'xff'), {
      'x-forwarded-for': '192.0.2.1',
    });
    const second = await post(server.endpoints.write, batchOf(['/b'], 'xff'), {
      'x-forwarded-for': '192.0.2.2',
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    await server.skopos.flush();
    const stats = await server.skopos.stats({ since: 0, until: Date.now() + 1000 });
    // Both requests came from this machine's socket: one visitor, whatever the header claimed.
    expect(stats.visitors).toBe(1);
  });

  it('with sites, accepts only those, defaulting to the single one, on its domain', async () => {
    server = await startServer({
      port: 0,
      logger: silentLogger,
      sites: [{ trackingId: 'shop', domain: 'example.com' }],
    });
    expect((await post(server.endpoints.write, batchOf(['/cart']))).status).toBe(200);
    // A batch is answered 200 with the refusal listed (vite-plugin-monitor's client would re-send it
    // forever); one event without an envelope keeps its 404 or 403.
    const stranger = await post(server.endpoints.write, batchOf(['/x'], 'stranger'));
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, issues: [{ field: 'events.0.siteId' }] }],
    });
    const unknown = JSON.stringify({ type: 'pageView', url: 'https://example.com/', siteId: 'stranger' });
    expect((await post(server.endpoints.write, unknown)).status).toBe(404);
    const foreign = JSON.stringify({ type: 'pageView', url: 'https://other.example.org/' });
    expect((await post(server.endpoints.write, foreign)).status).toBe(403);
  });

  it('requires the api key to write and to read when one is set; ping needs none', async () => {
    server = await startServer({ port: 0, logger: silentLogger, apiKey: 'k-123', dashboard: false });
    expect((await fetch(server.endpoints.ping)).status).toBe(200);
    expect((await fetch(server.endpoints.read)).status).toBe(401);
    expect((await fetch(server.endpoints.read, { headers: { 'x-tracker-key': 'k-123' } })).status).toBe(200);
    expect((await post(server.endpoints.write, batchOf(['/x'], 'app'))).status).toBe(401);
  });

  it('close() writes the queued events before stopping and reports them', async () => {
    server = await startServer({ port: 0, logger: silentLogger, batchInterval: 600_000 });
    expect((await post(server.endpoints.write, batchOf(['/1', '/2', '/3'], 'app'))).status).toBe(200);
    expect(server.skopos.counters().stored).toBe(0);
    const closing = server;
    server = undefined;
    const closed = {
      flushed: 3,
      stored: 3,
      unsaved: 0,
      unsavedEvents: 0,
      unconfirmedEvents: 0,
      journaled: false,
    };
    expect(await closing.close()).toEqual(closed);
    expect(await closing.close()).toEqual(closed);
    await expect(fetch(closing.endpoints.ping)).rejects.toThrow();
  });

  it('writes what queued on a store other than memory in one write, up to 5000 events, not per 100', async () => {
    const sizes = async (pipeline: { maxBatchSize?: number } = {}): Promise<number[]> => {
      const inner = memoryStore({ websites: [{ trackingId: 'app', domain: 'example.com' }] });
      const written: number[] = [];
      const store: Store = {
        ...inner,
        write: (batch) => {
          if (batch.events.length > 0) written.push(batch.events.length);
          return inner.write(batch);
        },
      };
      server = await startServer({ port: 0, logger: silentLogger, store, pipeline });
      const paths = Array.from({ length: 250 }, (_, i) => `/p${i}`);
      expect((await post(server.endpoints.write, batchOf(paths, 'app'))).status).toBe(200);
      await server.skopos.flush();
      expect(server.skopos.counters().stored).toBe(250);
      await server.close();
      server = undefined;
      return written;
    };
    expect(await sizes()).toEqual([250]);
    // An explicit pipeline.maxBatchSize still rules.
    expect(await sizes({ maxBatchSize: 100 })).toEqual([100, 100, 50]);
  });

  it('rejects with a clear error when the port is taken', async () => {
    server = await startServer({ port: 0, logger: silentLogger });
    const port = Number(new URL(server.url).port);
    await expect(startServer({ port, logger: silentLogger })).rejects.toThrow(
      /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/,
    );
  });
  it('serves the dashboard next to the tracker routes, wired to its read and ping endpoints', async () => {
    const server = await startServer({ port: 0, logLevel: 'warn' });
    try {
      expect(server.endpoints.dashboard).toBe(`${server.url}/_tracker/dashboard`);
      const page = await fetch(server.endpoints.dashboard as string);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('"readEndpoint":"/_tracker"');
      expect(html).toContain('"pingEndpoint":"/_tracker/ping"');
    } finally {
      await server.close();
    }
    const without = await startServer({ port: 0, dashboard: false, logLevel: 'warn' });
    try {
      expect(without.endpoints.dashboard).toBeUndefined();
      expect((await fetch(`${without.url}/_tracker/dashboard`)).status).not.toBe(200);
    } finally {
      await without.close();
    }
  });

  it('answers GET and HEAD for its assets and leaves other methods and paths to the tracker routes', async () => {
    server = await startServer({
      port: 0,
      logger: silentLogger,
      assets: { '/': { type: 'text/html; charset=utf-8', body: '<h1>hi</h1>' } },
    });
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<h1>hi</h1>');
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${server.url}/`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(server.endpoints.ping)).status).toBe(200);
  });
});
