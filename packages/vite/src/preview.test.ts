// `vite preview` (vite-plugin-monitor serves its routes there too): the pages built in middleware
// mode send to their own origin, so the preview server must take their events and serve the
// dashboard, as `vite dev` does. A real build, a real preview server and headless Chromium.

import { join } from 'node:path';
import { type Chromium, freePort, launchChromium, pollUntil } from '@skopos/test-utils';
import { build, createLogger, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackerPluginOptions } from './options.ts';
import { trackerPlugin } from './plugin.ts';
import { PLUGIN_VERSION } from './plugin-version.ts';
import { readEvents, startPreview, tempProject, viteConfig } from './test-support.ts';

// A browser on a busy shared machine can take a while; a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

const project = tempProject();
const outDir = join(project.root, 'dist');
const options: TrackerPluginOptions = {
  appId: 'demo',
  track: { navigation: true },
  storage: { mode: 'middleware', flushInterval: 200 },
  dashboard: { enabled: true },
  logging: { transports: [] },
};
let previewed: { server: PreviewServer; url: string } | undefined;
let chromium: Chromium;

beforeAll(async () => {
  await build(viteConfig(project.root, trackerPlugin(options), { outDir, emptyOutDir: true }));
  // A fresh plugin, as `vite preview` loads the config again in its own process.
  previewed = await startPreview(project.root, trackerPlugin(options), outDir);
  chromium = await launchChromium();
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await chromium?.close();
  await previewed?.server.close();
  project.cleanup();
});

describe('vite preview', () => {
  it(
    "takes the built page's events and serves them to the dashboard route",
    async () => {
      const url = previewed?.url ?? '';
      const page = await chromium.context.newPage();
      await page.goto(`${url}/?from=preview`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => '__tracker_instance__' in window);
      const read = await readEvents(`${url}/_tracker`, 1);
      const navigation = read.events.find((event) => event.type === 'navigation');
      expect(navigation?.payload).toMatchObject({ to: '/?from=preview', trigger: 'load' });
      await page.close();

      const dashboard = await fetch(`${url}/_dashboard`);
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await fetch(`${url}/_tracker/ping`).then((response) => response.json())).toEqual({
        ok: true,
        appId: 'demo',
        mode: 'middleware',
        version: PLUGIN_VERSION,
      });
    },
    E2E_TIMEOUT_MS,
  );

  it('says when there is nothing built to preview (Vite no longer does once the plugin is there)', async () => {
    const warnings: string[] = [];
    const logger = createLogger('silent');
    logger.warn = (message) => void warnings.push(message);
    const empty = tempProject();
    const unbuilt = await startPreview(empty.root, trackerPlugin(options), join(empty.root, 'dist'), logger);
    try {
      expect(warnings.join('\n')).toContain('does not exist. Did you build your project?');
    } finally {
      await unbuilt.server.close();
      empty.cleanup();
    }
  });

  it('starts the standalone server with the preview server, and stops it with it', async () => {
    const port = await freePort();
    const standalone = await startPreview(
      project.root,
      trackerPlugin({ ...options, storage: { mode: 'standalone', port } }),
      outDir,
    );
    const ping = `http://127.0.0.1:${port}/_tracker/ping`;
    try {
      await pollUntil(
        () =>
          fetch(ping).then(
            (response) => response.ok,
            () => false,
          ),
        E2E_TIMEOUT_MS,
        () => new Error(`the standalone server never answered ${ping}`),
      );
    } finally {
      await standalone.server.close();
    }
    await expect(fetch(ping)).rejects.toThrow();
  });
});
