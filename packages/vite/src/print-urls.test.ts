import { createLogger } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { bannerLines } from './print-urls.ts';
import { startVite, tempProject } from './test-support.ts';

describe("the lines under Vite's URLs (vite-plugin-monitor prints its API and dashboard there)", () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it('a dev server prints where the tracker API and the dashboard are', async () => {
    const printed: string[] = [];
    const logger = createLogger('silent');
    logger.info = (message) => void printed.push(message);
    const vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', dashboard: { enabled: true }, logging: { transports: [] } }),
      logger,
    );
    try {
      vite.server.printUrls();
      expect(printed).toEqual(
        expect.arrayContaining([
          `  ➜  Tracker API: ${vite.url}/_tracker`,
          `  ➜  Dashboard:   ${vite.url}/_dashboard`,
        ]),
      );
    } finally {
      await vite.server.close();
    }
  });

  it('names each mode’s API: the standalone port, your read endpoint, your WebSocket', () => {
    const base = { localUrl: 'http://localhost:5173/app/', dashboardRoute: false } as const;
    expect(
      bannerLines({
        ...base,
        mode: 'standalone',
        endpoints: { readEndpoint: 'http://localhost:4242/_tracker' },
      }),
    ).toEqual(['  ➜  Tracker API: http://localhost:4242/_tracker']);
    // Port 0: known once the standalone server listens, and logged then.
    expect(
      bannerLines({
        ...base,
        mode: 'standalone',
        endpoints: { readEndpoint: 'http://localhost:0/_tracker' },
      }),
    ).toEqual([]);
    expect(
      bannerLines({ ...base, mode: 'http', endpoints: { readEndpoint: 'https://api.myapp.com/tracker' } }),
    ).toEqual(['  ➜  Tracker API: https://api.myapp.com/tracker']);
    expect(
      bannerLines({
        ...base,
        mode: 'websocket',
        endpoints: { wsEndpoint: 'wss://api.myapp.com/tracker/ws' },
      }),
    ).toEqual(['  ➜  Tracker API: wss://api.myapp.com/tracker/ws']);
    expect(bannerLines({ ...base, mode: 'http', endpoints: {}, dashboardRoute: '/_dashboard' })).toEqual([
      '  ➜  Dashboard:   http://localhost:5173/_dashboard',
    ]);
  });
});
