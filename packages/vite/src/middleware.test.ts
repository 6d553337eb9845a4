import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readEvents, readInjectedConfig, sendEvent, startVite, tempProject } from './test-support.ts';

describe("middleware mode (and 'auto' in dev)", () => {
  const project = tempProject();
  let vite: { server: ViteDevServer; url: string };

  beforeAll(async () => {
    vite = await startVite(project.root, trackerPlugin({ appId: 'demo', storage: { maxBufferSize: 1000 } }));
  });
  afterAll(async () => {
    await vite?.server.close();
    project.cleanup();
  });

  it('injects a frozen config and the tracker script into the page', async () => {
    const html = await (await fetch(`${vite.url}/`)).text();
    expect(html).toContain('window.__TRACKER_CONFIG__ = Object.freeze(');
    expect(html).toMatch(/<script defer src="\/_tracker\/skopos\.js" data-allow-localhost><\/script>/);
    const config = readInjectedConfig(html);
    expect(config).toEqual({
      appId: 'demo',
      storage: {
        mode: 'middleware',
        writeEndpoint: '/_tracker/events',
        readEndpoint: '/_tracker',
        pingEndpoint: '/_tracker/ping',
        batchSize: 25,
        flushInterval: 3000,
      },
      dashboard: { route: '/_tracker/dashboard' },
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

  it('answers the ping and serves @skopos/dashboard on its route, and leaves other paths to Vite', async () => {
    expect((await fetch(`${vite.url}/_tracker/ping`)).status).toBe(200);
    const dashboard = await fetch(`${vite.url}/_tracker/dashboard`);
    expect(dashboard.status).toBe(200);
    const page = await dashboard.text();
    expect(page).toContain(
      'window.__SKOPOS_DASHBOARD__={"readEndpoint":"/_tracker","pingEndpoint":"/_tracker/ping"}',
    );
    // The dashboard is not a tracked page of the app.
    expect(page).not.toContain('__TRACKER_CONFIG__');
    expect(await (await fetch(`${vite.url}/index.html`)).text()).toContain('<h1>demo</h1>');
  });
});
