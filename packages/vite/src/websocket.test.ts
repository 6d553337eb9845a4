import { afterAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readInjectedConfig, startVite, tempProject } from './test-support.ts';

describe('websocket mode in dev', () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it('injects wsEndpoint (and no HTTP write endpoint) and still answers /_tracker/ping', async () => {
    const vite = await startVite(
      project.root,
      trackerPlugin({
        appId: 'demo',
        storage: { mode: 'websocket', wsEndpoint: 'wss://api.myapp.com/tracker/ws', apiKey: 'k' },
      }),
    );
    try {
      const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text());
      expect(config.storage).toEqual({
        mode: 'websocket',
        wsEndpoint: 'wss://api.myapp.com/tracker/ws',
        apiKey: 'k',
        batchSize: 25,
        flushInterval: 3000,
      });
      expect((await fetch(`${vite.url}/_tracker/ping`)).status).toBe(200);
    } finally {
      await vite.server.close();
    }
  });
});
