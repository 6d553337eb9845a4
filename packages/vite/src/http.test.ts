import { type RunningServer, startServer } from '@skopos/server';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { PLUGIN_VERSION } from './plugin-version.ts';
import { readEvents, readInjectedConfig, sendEvent, startVite, tempProject } from './test-support.ts';

const API_KEY = 'shared-key-123';

describe('http mode against a real Skopos server', () => {
  const project = tempProject();
  let skopos: RunningServer;
  let vite: { server: ViteDevServer; url: string };

  beforeAll(async () => {
    skopos = await startServer({
      port: 0,
      apiKey: API_KEY,
      batchInterval: 50,
      logLevel: 'warn',
      dashboard: false,
    });
    vite = await startVite(
      project.root,
      trackerPlugin({
        appId: 'demo',
        storage: { mode: 'http', writeEndpoint: skopos.endpoints.write, apiKey: API_KEY, batchSize: 10 },
      }),
    );
  });
  afterAll(async () => {
    await vite?.server.close();
    await skopos?.close();
    project.cleanup();
  });

  it('injects the user endpoints, the read endpoint inferred from the write one, and the key', async () => {
    const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text());
    expect(config).toMatchObject({
      mode: 'http',
      writeEndpoint: skopos.endpoints.write,
      readEndpoint: skopos.endpoints.read,
      pingEndpoint: '',
      wsEndpoint: '',
      apiKey: API_KEY,
      batchSize: 10,
      flushInterval: 3000,
    });
  });

  it('the injected endpoints work with the key as X-Tracker-Key, and refuse without it', async () => {
    const storage = readInjectedConfig(await (await fetch(`${vite.url}/`)).text()) as {
      writeEndpoint: string;
      readEndpoint: string;
      apiKey: string;
    };
    expect((await sendEvent(storage.writeEndpoint, '/signup')).status).toBe(401);
    const write = await sendEvent(storage.writeEndpoint, '/signup', { 'x-tracker-key': storage.apiKey });
    expect(write.status).toBe(200);
    const read = await readEvents(storage.readEndpoint, 1, { 'x-tracker-key': storage.apiKey });
    expect(read.events.map((event) => event.path)).toEqual(['/signup']);
  });

  it('the dev server still answers /_tracker/ping but stores nothing itself', async () => {
    const ping = await fetch(`${vite.url}/_tracker/ping`);
    expect(await ping.json()).toEqual({ ok: true, appId: 'demo', mode: 'http', version: PLUGIN_VERSION });
    expect((await sendEvent(`${vite.url}/_tracker/events`, '/x')).status).toBe(404);
  });
});
