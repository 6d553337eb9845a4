import { afterAll, describe, expect, it } from 'vitest';
import { DEV_SCRIPT_PATH, trackerPlugin } from './plugin.ts';
import { readInjectedConfig, startVite, tempProject } from './test-support.ts';

describe('websocket mode in dev', () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it('injects wsEndpoint (and no HTTP write endpoint), serves the WebSocket tracker build and still answers /_tracker/ping', async () => {
    const vite = await startVite(
      project.root,
      trackerPlugin({
        appId: 'demo',
        storage: { mode: 'websocket', wsEndpoint: 'wss://api.myapp.com/tracker/ws', apiKey: 'k' },
      }),
    );
    try {
      const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text());
      expect(config).toMatchObject({
        mode: 'websocket',
        writeEndpoint: '',
        readEndpoint: '',
        wsEndpoint: 'wss://api.myapp.com/tracker/ws',
        apiKey: 'k',
        batchSize: 25,
        flushInterval: 3000,
      });
      // The monitor client sends over the WebSocket in this mode.
      const script = await (await fetch(`${vite.url}${DEV_SCRIPT_PATH}`)).text();
      expect(script).toContain('new WebSocket');
      expect((await fetch(`${vite.url}/_tracker/ping`)).status).toBe(200);
    } finally {
      await vite.server.close();
    }
  });
});
