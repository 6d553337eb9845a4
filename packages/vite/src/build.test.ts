import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, createLogger } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readInjectedConfig, tempProject, viteConfig } from './test-support.ts';

describe('vite build', () => {
  const project = tempProject();
  afterAll(() => project.cleanup());

  it("fails in 'auto' mode without a writeEndpoint, saying what to set", async () => {
    await expect(build(viteConfig(project.root, trackerPlugin({ appId: 'demo' })))).rejects.toThrow(
      /\[skopos\/vite\] storage\.writeEndpoint is required to build/,
    );
  });

  it('emits the tracker as an asset and injects it with the production endpoints', async () => {
    const plugin = trackerPlugin({
      appId: 'demo',
      storage: {
        writeEndpoint: 'https://api.myapp.com/tracker/ingest',
        pingEndpoint: 'https://api.myapp.com/health',
      },
      dashboard: false,
    });
    await build(viteConfig(project.root, plugin, { outDir: join(project.root, 'dist'), emptyOutDir: true }));
    const html = readFileSync(join(project.root, 'dist', 'index.html'), 'utf8');
    const src = /<script defer src="\/(assets\/skopos-monitor-[0-9a-f]{8}\.js)"><\/script>/.exec(html)?.[1];
    expect(src).toBeDefined();
    expect(readFileSync(join(project.root, 'dist', src ?? ''), 'utf8')).toContain('__TRACKER_CONFIG__');
    expect(readInjectedConfig(html)).toEqual({
      appId: 'demo',
      mode: 'http',
      writeEndpoint: 'https://api.myapp.com/tracker/ingest',
      // vite-plugin-monitor strips only a trailing /events: this backend reads on its write URL.
      readEndpoint: 'https://api.myapp.com/tracker/ingest',
      pingEndpoint: 'https://api.myapp.com/health',
      wsEndpoint: '',
      apiKey: '',
      batchSize: 25,
      flushInterval: 3000,
      track: { clicks: false, http: false, errors: false, navigation: false, console: true, level: 'info' },
      // `dashboard: false` is vite-plugin-monitor 0.1's `{ enabled: false }`.
      dashboard: { enabled: false, route: '/_dashboard', pollInterval: 3000 },
      overlay: { enabled: false, position: 'bottom-right' },
    });
  });

  it("gives every event the project's package.json version unless buildVersion is set (vite-plugin-monitor)", async () => {
    const versioned = tempProject();
    try {
      writeFileSync(join(versioned.root, 'package.json'), JSON.stringify({ name: 'shop', version: '3.1.4' }));
      const builtWith = async (buildVersion?: string) => {
        const plugin = trackerPlugin({
          appId: 'demo',
          ...(buildVersion ? { buildVersion } : {}),
          storage: { mode: 'http', writeEndpoint: 'https://api.myapp.com/tracker/events' },
        });
        const outDir = join(versioned.root, 'dist');
        await build(viteConfig(versioned.root, plugin, { outDir, emptyOutDir: true }));
        return readInjectedConfig(readFileSync(join(outDir, 'index.html'), 'utf8')).buildVersion;
      };
      expect(await builtWith()).toBe('3.1.4');
      expect(await builtWith('2026-12-06-abc123f')).toBe('2026-12-06-abc123f');
    } finally {
      versioned.cleanup();
    }
  });

  it("links the tracker from every page of a relative base (base: './'), nested pages too", async () => {
    const pages = tempProject();
    try {
      mkdirSync(join(pages.root, 'about'));
      writeFileSync(join(pages.root, 'about', 'index.html'), readFileSync(join(pages.root, 'index.html')));
      const plugin = trackerPlugin({
        appId: 'demo',
        storage: { mode: 'http', writeEndpoint: 'https://api.myapp.com/tracker/events' },
      });
      const outDir = join(pages.root, 'dist');
      const input = { main: join(pages.root, 'index.html'), about: join(pages.root, 'about', 'index.html') };
      await build({
        ...viteConfig(pages.root, plugin, { outDir, emptyOutDir: true, rollupOptions: { input } }),
        base: './',
      });
      for (const page of ['index.html', 'about/index.html']) {
        const html = readFileSync(join(outDir, page), 'utf8');
        const src =
          /<script defer src="([^"]+skopos-monitor-[0-9a-f]{8}\.js)"><\/script>/.exec(html)?.[1] ?? '';
        // Resolved against the page's own URL, as the browser does.
        const file = new URL(src, `https://shop.test/${page}`).pathname;
        expect(readFileSync(join(outDir, file), 'utf8'), `${page} → ${src}`).toContain('__TRACKER_CONFIG__');
      }
    } finally {
      pages.cleanup();
    }
  });

  it('ships the debug overlay when overlay.enabled says so, as vite-plugin-monitor, and warns', async () => {
    const warnings: string[] = [];
    const logger = createLogger('silent');
    logger.warn = (message) => void warnings.push(message);
    const builtScript = async (overlay: boolean) => {
      const plugin = trackerPlugin({
        appId: 'demo',
        overlay: { enabled: overlay },
        storage: { mode: 'http', writeEndpoint: 'https://api.myapp.com/tracker/events' },
      });
      const outDir = join(project.root, 'dist');
      await build({
        ...viteConfig(project.root, plugin, { outDir, emptyOutDir: true }),
        customLogger: logger,
      });
      const html = readFileSync(join(outDir, 'index.html'), 'utf8');
      const src = /<script defer src="\/(assets\/skopos-monitor-[0-9a-f]{8}\.js)"><\/script>/.exec(html)?.[1];
      return readFileSync(join(outDir, src ?? ''), 'utf8');
    };
    expect(await builtScript(false)).not.toContain('data-tracker-overlay');
    expect(warnings.join('\n')).not.toContain('overlay');
    expect(await builtScript(true)).toContain('data-tracker-overlay');
    expect(warnings.join('\n')).toContain(
      'overlay.enabled: the debug overlay (user id, session id, recent events) ships in this build',
    );
  });

  it('sends over the WebSocket in websocket mode', async () => {
    const plugin = trackerPlugin({
      appId: 'demo',
      storage: { mode: 'websocket', wsEndpoint: 'wss://api.myapp.com/tracker/ws' },
      dashboard: false,
    });
    await build(viteConfig(project.root, plugin, { outDir: join(project.root, 'dist'), emptyOutDir: true }));
    const html = readFileSync(join(project.root, 'dist', 'index.html'), 'utf8');
    const src = /<script defer src="\/(assets\/skopos-monitor-[0-9a-f]{8}\.js)"><\/script>/.exec(html)?.[1];
    expect(src).toBeDefined();
    expect(readFileSync(join(project.root, 'dist', src ?? ''), 'utf8')).toContain('WebSocket');
    expect(readInjectedConfig(html)).toMatchObject({
      mode: 'websocket',
      wsEndpoint: 'wss://api.myapp.com/tracker/ws',
    });
  });
});
