import { silentLogger } from '@skopos/core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackerBackend } from './backend.ts';
import { trackerPlugin } from './plugin.ts';
import { PLUGIN_VERSION } from './plugin-version.ts';
import { readEvents, readInjectedConfig, sendEvent, startVite, tempProject } from './test-support.ts';

describe("middleware mode (and 'auto' in dev)", () => {
  const project = tempProject();
  let vite: { server: ViteDevServer; url: string };

  beforeAll(async () => {
    vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', storage: { maxBufferSize: 1000 }, dashboard: { enabled: true } }),
    );
  });
  afterAll(async () => {
    await vite?.server.close();
    project.cleanup();
  });

  it('injects a frozen config and the tracker script into the page', async () => {
    const html = await (await fetch(`${vite.url}/`)).text();
    expect(html).toContain('Object.defineProperty(window,"__TRACKER_CONFIG__",{value:Object.freeze(');
    expect(html).toMatch(/<script defer src="\/_tracker\/skopos\.js"><\/script>/);
    const config = readInjectedConfig(html);
    expect(config).toEqual({
      appId: 'demo',
      mode: 'middleware',
      writeEndpoint: '/_tracker/events',
      readEndpoint: '/_tracker',
      pingEndpoint: '/_tracker/ping',
      wsEndpoint: '',
      apiKey: '',
      batchSize: 25,
      flushInterval: 3000,
      track: { clicks: false, http: false, errors: false, navigation: false, console: true, level: 'info' },
      dashboard: { enabled: true, route: '/_dashboard', pollInterval: 3000 },
      overlay: { enabled: false, position: 'bottom-right' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.storage)).toBe(true);
  });

  it('serves the browser tracker script', async () => {
    const response = await fetch(`${vite.url}/_tracker/skopos.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(await response.text()).toContain('__TRACKER_CONFIG__');
  });

  it('stores what /_tracker/events receives and returns it from /_tracker', async () => {
    const write = await sendEvent(`${vite.url}/_tracker/events`, '/pricing');
    expect(write.status).toBe(200);
    expect(await write.json()).toMatchObject({ accepted: 1 });
    const read = await readEvents(`${vite.url}/_tracker`, 1);
    expect(read.total).toBe(1);
    expect(read.events[0]).toMatchObject({ path: '/pricing', type: 'pageView' });
  });

  it('keeps the events of headless browsers and scripts, as vite-plugin-monitor does (e2e runs, curl)', async () => {
    const headless =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
    for (const userAgent of [headless, 'curl/8.5.0']) {
      const write = await sendEvent(`${vite.url}/_tracker/events`, `/by/${userAgent.slice(0, 4)}`, {
        'user-agent': userAgent,
      });
      expect(await write.json()).toMatchObject({ accepted: 1 });
    }
    const read = await readEvents(`${vite.url}/_tracker`, 3);
    expect(read.events.map((event) => event.path)).toEqual(expect.arrayContaining(['/by/Mozi', '/by/curl']));
  });

  it('answers the ping and serves @skopos/dashboard on its route, and leaves other paths to Vite', async () => {
    // vite-plugin-monitor's answer: its dashboard needs only a 2xx, its users may read the rest.
    const ping = await fetch(`${vite.url}/_tracker/ping`);
    expect(await ping.json()).toEqual({
      ok: true,
      appId: 'demo',
      mode: 'middleware',
      version: PLUGIN_VERSION,
    });
    expect(PLUGIN_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const dashboard = await fetch(`${vite.url}/_dashboard`);
    expect(dashboard.status).toBe(200);
    const page = await dashboard.text();
    expect(page).toContain(
      'window.__SKOPOS_DASHBOARD__={"readEndpoint":"/_tracker","pingEndpoint":"/_tracker/ping","pollInterval":3000}',
    );
    // The dashboard is not a tracked page of the app.
    expect(page).not.toContain('__TRACKER_CONFIG__');
    expect(await (await fetch(`${vite.url}/index.html`)).text()).toContain('<h1>demo</h1>');
  });

  it("keeps Skopos 0.1's /_tracker/dashboard working, as a redirect to the route", async () => {
    const alias = await fetch(`${vite.url}/_tracker/dashboard/?site=demo`, { redirect: 'manual' });
    expect(alias.status).toBe(307);
    expect(alias.headers.get('location')).toBe('/_dashboard/?site=demo');
    expect(await (await fetch(`${vite.url}/_tracker/dashboard`)).text()).toContain(
      'window.__SKOPOS_DASHBOARD__=',
    );
  });
});

describe('the dashboard options', () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it('serves no dashboard by default, as vite-plugin-monitor', async () => {
    const vite = await startVite(project.root, trackerPlugin({ appId: 'demo' }));
    try {
      for (const path of ['/_dashboard', '/_tracker/dashboard']) {
        expect(await (await fetch(`${vite.url}${path}`)).text()).not.toContain('__SKOPOS_DASHBOARD__');
      }
    } finally {
      await vite.server.close();
    }
  });

  it('puts dashboard.auth in front of the dashboard as a login, and never into a page', async () => {
    const auth = { username: 'admin', password: 'pw-7d1f3c' };
    const vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', dashboard: { enabled: true, route: '/stats', auth } }),
    );
    try {
      const page = await fetch(`${vite.url}/stats/`, { redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/stats/login');
      const form = await (await fetch(`${vite.url}/stats/login`)).text();
      const app = await (await fetch(`${vite.url}/`)).text();
      for (const html of [form, app]) expect(html).not.toContain(auth.password);
      expect(readInjectedConfig(app).dashboard).toEqual({
        enabled: true,
        route: '/stats',
        pollInterval: 3000,
      });

      const login = await fetch(`${vite.url}/stats/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `password=${auth.password}`,
        redirect: 'manual',
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      expect(cookie).toMatch(/^skopos_session=/);
      const signedIn = await fetch(`${vite.url}/stats/`, { headers: { cookie } });
      expect(signedIn.status).toBe(200);
      expect(await signedIn.text()).toContain('"login":true');
    } finally {
      await vite.server.close();
    }
  });

  it('lets a browser signed in to the dashboard read the events from another machine', async () => {
    const backend = createTrackerBackend({
      mode: 'middleware',
      appId: 'demo',
      maxBufferSize: 10,
      readSession: (headers) => headers.get('cookie') === 'skopos_session=valid',
      logger: silentLogger,
    });
    const read = (headers: Record<string, string>) =>
      backend.handler(new Request('http://192.168.1.5:5173/_tracker', { headers }), {
        remoteAddress: '192.168.1.9',
      });
    try {
      expect((await read({})).status).toBe(401);
      expect((await read({ cookie: 'skopos_session=forged' })).status).toBe(401);
      expect((await read({ cookie: 'skopos_session=valid' })).status).toBe(200);
    } finally {
      await backend.close();
    }
  });
});

describe('the backend of middleware and standalone modes', () => {
  it("stores the events of an app id that is no URL-safe name ('My Shop'), as vite-plugin-monitor does", async () => {
    const backend = createTrackerBackend({
      mode: 'middleware',
      appId: 'My Shop',
      maxBufferSize: 10,
      logger: silentLogger,
    });
    const event = {
      type: 'custom',
      appId: 'My Shop',
      sessionId: 'sess_1',
      userId: 'anon_1',
      timestamp: new Date().toISOString(),
      level: 'info',
      payload: { name: 'checkout' },
      meta: { route: '/cart', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
    };
    const local = { remoteAddress: '127.0.0.1' };
    try {
      const write = await backend.handler(
        new Request('http://localhost:5173/_tracker/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'ingest', events: [event] }),
        }),
        local,
      );
      expect(write.status).toBe(200);
      await backend.skopos.flush();
      const read = await backend.handler(new Request('http://localhost:5173/_tracker'), local);
      const body = (await read.json()) as { events: { appId: string; payload: unknown }[] };
      expect(body.events).toMatchObject([{ appId: 'My Shop', payload: { name: 'checkout' } }]);
    } finally {
      await backend.close();
    }
  });
});
