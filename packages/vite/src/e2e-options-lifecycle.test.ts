// Issue #10's acceptance test, the rest of the full option set's life: `enabled: false` serves
// nothing at all, and the log files of the server modes (the `logging` option, in the temp
// project) survive a dev-server restart — the new server reads the same events, with the same ids.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadEvent } from '@skopos/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { apiPlugin } from './e2e-options-page.ts';
import { APP_ID, fullOptions, type ModeServer, readEndpoint, startMode } from './e2e-options-support.ts';
import { trackerPlugin } from './plugin.ts';
import { BROWSER_HEADERS, readInjectedConfig, startVite, tempProject } from './test-support.ts';

const API_KEY = 'dev-key';
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  // Newest first: a server closes before the project it serves is removed.
  for (const close of closers.reverse()) await close();
});

/** A vite-plugin-monitor 1.x batch as its client posts it (`{ type: 'ingest', events }`). */
function monitorBatch(): string {
  const meta = {
    userAgent: BROWSER_HEADERS['user-agent'],
    route: '/cart',
    viewport: '1024x700',
    language: 'en',
  };
  const base = {
    timestamp: new Date().toISOString(),
    appId: APP_ID,
    sessionId: 'sess_1',
    userId: 'user-7',
    meta,
  };
  return JSON.stringify({
    type: 'ingest',
    events: [
      {
        ...base,
        type: 'click',
        level: 'info',
        payload: { tag: 'button', text: 'Buy', xpath: '/html/body/button' },
      },
      {
        ...base,
        type: 'custom',
        level: 'warn',
        groupId: 'grp_a',
        context: { tenant: 'acme' },
        payload: { name: 'step' },
      },
      { ...base, type: 'console', level: 'debug', payload: { method: 'debug', message: 'x', args: [] } },
    ],
  });
}

describe('the full option set, enabled: false', () => {
  it('injects nothing, serves no tracker route, dashboard or ping, and writes no log file', async () => {
    const project = tempProject();
    const options = fullOptions({
      storage: { mode: 'middleware', apiKey: API_KEY },
      level: 'debug',
      autoInit: true,
    });
    const vite = await startVite(project.root, [trackerPlugin({ ...options, enabled: false }), apiPlugin]);
    closers.push(async () => {
      await vite.server.close();
      project.cleanup();
    });
    const page = await (await fetch(`${vite.url}/`)).text();
    expect(page).toContain('<title>demo</title>');
    expect(page).not.toContain('__TRACKER_CONFIG__');
    expect(page).not.toContain('<script defer');
    expect(page).not.toContain('/_tracker/');
    // What Vite answers any unknown GET: its SPA fallback, the page itself, tracker-free.
    for (const path of ['/_tracker/skopos.js', '/_tracker/ping', '/_tracker', '/monitor', '/_dashboard']) {
      const response = await fetch(`${vite.url}${path}`);
      expect([path, response.status, response.headers.get('content-type'), await response.text()]).toEqual([
        path,
        200,
        'text/html',
        page,
      ]);
    }
    const post = await fetch(`${vite.url}/_tracker/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracker-key': API_KEY, ...BROWSER_HEADERS },
      body: monitorBatch(),
    });
    expect(post.status).toBe(404);
    expect(existsSync(join(project.root, 'logs'))).toBe(false);
  });
});

/** The write and read endpoints the dev server's page is given, absolute. */
async function pageEndpoints(url: string): Promise<{ write: string; read: () => Promise<ReadEvent[]> }> {
  const config = readInjectedConfig(await (await fetch(`${url}/`)).text());
  const absolute = (endpoint: unknown) => new URL(String(endpoint), url).href;
  return { write: absolute(config.writeEndpoint), read: readEndpoint(absolute(config.readEndpoint)) };
}

describe.each([
  ['middleware', { mode: 'middleware', apiKey: API_KEY }],
  ['standalone', { mode: 'standalone', port: 0, apiKey: API_KEY }],
] as const)('the full option set, %s mode log files across restarts', (_mode, storage) => {
  const options = { storage, level: 'debug', autoInit: true } as const;

  it('reads back the same events, with the same ids, after server.restart() and after a new server', async () => {
    const vite: ModeServer = await startMode(options);
    closers.push(() => vite.close());
    const { write, read } = await pageEndpoints(vite.url);
    const post = await fetch(write, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracker-key': API_KEY, ...BROWSER_HEADERS },
      body: monitorBatch(),
    });
    expect(post.status).toBe(200);
    let before = await read();
    // The pipeline writes in batches: wait until the three are stored (and so logged).
    for (const deadline = Date.now() + 10_000; before.length < 3 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      before = await read();
    }
    expect(before.map((event) => [event.type, event.level]).sort()).toEqual([
      ['click', 'info'],
      ['console', 'debug'],
      ['custom', 'warn'],
    ]);
    expect(new Set(before.map((event) => event.id)).size).toBe(3);
    // Both transports of the option set, relative to the Vite root; logging.level 'debug' keeps all three.
    // The log files are written a few ms after the store took the events: wait for their lines.
    const logs = join(vite.root, 'logs');
    const logged = (name: string) =>
      readFileSync(join(logs, name), 'utf8').trim().split('\n').filter(Boolean);
    await vi.waitFor(() => expect(logged('shop.jsonl')).toHaveLength(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(logged('shop.txt').length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(readdirSync(logs).sort()).toEqual(['shop.jsonl', 'shop.txt']);
    expect(readFileSync(join(logs, 'shop.txt'), 'utf8')).toMatch(/^\S+Z DEBUG\s+console\s+shop user=user-7/m);

    // A project that switched from vite-plugin-monitor keeps what it logged: a file of its own in the
    // same place (size-rotated: `<stem>-YYYY_MM_DD_HH_MM_SS<ext>`, one JSON event per line).
    const peerAt = new Date(Date.now() - 120_000);
    const peerEvent = {
      timestamp: peerAt.toISOString(),
      level: 'info',
      type: 'custom',
      appId: APP_ID,
      sessionId: 'sess_0',
      userId: 'user-1',
      payload: { name: 'before-the-switch', data: { plan: 'pro' } },
      meta: { userAgent: BROWSER_HEADERS['user-agent'], route: '/old', viewport: '800x600', language: 'en' },
    };
    const stamp = peerAt.toISOString().slice(0, 19).replace(/[-T:]/g, '_');
    writeFileSync(join(logs, `shop-${stamp}.jsonl`), `${JSON.stringify(peerEvent)}\n`);

    // A config change: Vite builds a new server (and a new buffer) in the same process. The first
    // request may go out on a pooled connection the old server closed: ask again once.
    await vite.server.restart();
    const restarted = await pageEndpoints(vite.url).catch(() => pageEndpoints(vite.url));
    const after = await restarted.read().catch(restarted.read);
    const { meta: _meta, ...peerFields } = peerEvent;
    expect(after[0]).toMatchObject({ ...peerFields, meta: { route: '/old', viewport: '800x600' } });
    expect(after.slice(1)).toEqual(before);

    // A new dev server on the same project: nothing in memory is shared, only the files.
    await vite.server.close();
    const next = await startVite(vite.root, [trackerPlugin(fullOptions(options)), apiPlugin]);
    closers.push(() => next.server.close());
    // It may listen where the closed one did: a pooled connection to that one fails once, as above.
    const fresh = await pageEndpoints(next.url).catch(() => pageEndpoints(next.url));
    expect(await fresh.read()).toEqual(after);
  });
});
