import { createServer } from 'node:net';
import { freePort } from '@skopos/test-utils';
import { createLogger } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readEvents, readInjectedConfig, sendEvent, startVite, tempProject } from './test-support.ts';

describe('standalone mode', () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it('serves the endpoints on its own port (0 = a free one), with CORS for the dev page, until Vite stops', async () => {
    const vite = await startVite(
      project.root,
      trackerPlugin({
        appId: 'demo',
        storage: { mode: 'standalone', port: 0 },
        dashboard: { enabled: true },
      }),
    );
    let closed = false;
    try {
      const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text()) as Record<string, string>;
      const { writeEndpoint, readEndpoint, pingEndpoint } = config;
      expect(config.mode).toBe('standalone');
      expect(writeEndpoint).toMatch(/^http:\/\/localhost:\d+\/_tracker\/events$/);
      expect(writeEndpoint).not.toBe('http://localhost:0/_tracker/events');
      const base = (writeEndpoint ?? '').replace(/\/events$/, '');
      expect(readEndpoint).toBe(base);
      expect(pingEndpoint).toBe(`${base}/ping`);
      // 127.0.0.1: the server listens there, and Node may try ::1 first for "localhost".
      const direct = base.replace('localhost', '127.0.0.1');

      const write = await sendEvent(`${direct}/events`, '/docs', { origin: vite.url });
      expect(write.status).toBe(200);
      expect(write.headers.get('access-control-allow-origin')).toBe(vite.url);
      // Another page's events are refused, readably (a tracker must not take it for a network failure).
      const other = await sendEvent(`${direct}/events`, '/x', { origin: 'https://evil.test' });
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBe('https://evil.test');
      const read = await readEvents(direct, 1);
      expect(read.events.map((event) => event.path)).toContain('/docs');
      expect((await fetch(`${direct}/ping`)).status).toBe(200);
      // The dashboard is served on both servers: same-origin reads there, cross-origin ones from Vite;
      // /_tracker/dashboard redirects to its route on both.
      for (const path of ['/_dashboard', '/_tracker/dashboard']) {
        expect(await (await fetch(`${new URL(direct).origin}${path}`)).text()).toContain(
          'window.__SKOPOS_DASHBOARD__={"readEndpoint":"/_tracker","pingEndpoint":"/_tracker/ping","pollInterval":3000}',
        );
      }
      expect(await (await fetch(`${vite.url}/_dashboard`)).text()).toContain(
        `window.__SKOPOS_DASHBOARD__={"readEndpoint":"${readEndpoint}","pingEndpoint":"${pingEndpoint}","pollInterval":3000}`,
      );
      // The dev server answers the ping too, in every mode.
      expect((await fetch(`${vite.url}/_tracker/ping`)).status).toBe(200);

      await vite.server.close();
      closed = true;
      await expect(fetch(`${direct}/ping`)).rejects.toThrow();
    } finally {
      if (!closed) await vite.server.close();
    }
  });

  it('still serves the pages when its port is taken (another app), and says why in the terminal', async () => {
    const port = await freePort();
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    const errors: string[] = [];
    const logger = createLogger('silent');
    logger.error = (message) => void errors.push(message);
    const vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', storage: { mode: 'standalone', port } }),
      logger,
    );
    try {
      const page = await fetch(`${vite.url}/`);
      expect(page.status).toBe(200);
      expect(readInjectedConfig(await page.text())).toMatchObject({
        writeEndpoint: `http://localhost:${port}/_tracker/events`,
      });
      expect(errors.join('\n')).toContain(
        `the standalone tracker server cannot listen on port ${port} (EADDRINUSE)`,
      );
    } finally {
      await vite.server.close();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('keeps serving on its fixed port across a Vite restart (a config change)', async () => {
    const port = await freePort();
    const vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', storage: { mode: 'standalone', port } }),
    );
    try {
      const html = await (await fetch(`${vite.url}/`)).text();
      expect(readInjectedConfig(html)).toMatchObject({
        writeEndpoint: `http://localhost:${port}/_tracker/events`,
      });
      expect((await fetch(`http://127.0.0.1:${port}/_tracker/ping`)).status).toBe(200);
      await vite.server.restart();
      expect((await fetch(`http://127.0.0.1:${port}/_tracker/ping`)).status).toBe(200);
    } finally {
      await vite.server.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/_tracker/ping`)).rejects.toThrow();
  });
});
