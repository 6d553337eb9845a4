import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@skopos/test-utils';
import {
  type BuildEnvironmentOptions,
  createServer,
  type Logger,
  type PluginOption,
  type PreviewServer,
  preview,
  type ViteDevServer,
} from 'vite';

export const PAGE = '<!doctype html><html><head><title>demo</title></head><body><h1>demo</h1></body></html>';

/** Headers of a real browser: the pipeline drops requests that look like bots. */
export const BROWSER_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  accept: '*/*',
  'accept-language': 'en',
};

/** A throwaway Vite project with one index.html; `cleanup` removes it. */
export function tempProject(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'skopos-vite-'));
  writeFileSync(join(root, 'index.html'), PAGE);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** `plugin` may be a list (Vite flattens nested plugin arrays): the tracker plus a test's own routes. */
export function viteConfig(root: string, plugin: PluginOption, build?: BuildEnvironmentOptions) {
  return {
    root,
    configFile: false as const,
    logLevel: 'silent' as const,
    cacheDir: join(root, '.vite'),
    plugins: [plugin],
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
    ...(build ? { build } : {}),
  };
}

/**
 * A real Vite dev server on a free port, and its URL (Vite reads `port: 0` as its default 5173,
 * which tests would share). A fresh port per server also keeps `fetch` from reusing a pooled
 * connection to an earlier server that had the same address.
 */
export async function startVite(
  root: string,
  plugin: PluginOption,
  customLogger?: Logger,
): Promise<{ server: ViteDevServer; url: string }> {
  const config = viteConfig(root, plugin);
  const server = await createServer({
    ...config,
    ...(customLogger ? { customLogger, logLevel: 'info' as const } : {}),
    server: { ...config.server, port: await freePort() },
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null | undefined;
  if (!address) throw new Error('the Vite dev server is not listening');
  const { port } = address;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A real `vite preview` server over `outDir` (built before) on a free port, and its URL. */
export async function startPreview(
  root: string,
  plugin: PluginOption,
  outDir: string,
  customLogger?: Logger,
): Promise<{ server: PreviewServer; url: string }> {
  const port = await freePort();
  const server = await preview({
    ...viteConfig(root, plugin, { outDir }),
    ...(customLogger ? { customLogger, logLevel: 'info' as const } : {}),
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

/** The `window.__TRACKER_CONFIG__` object of a page, evaluated the way the browser does. */
export function readInjectedConfig(html: string): Record<string, unknown> {
  const match = /<script>(Object\.defineProperty\(window,"__TRACKER_CONFIG__"[^<]*)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error(`no injected config in ${html}`);
  const window: { __TRACKER_CONFIG__?: Record<string, unknown> } = {};
  new Function('window', match[1])(window);
  return window.__TRACKER_CONFIG__ ?? {};
}

/** Reads `readEndpoint` until it has at least `count` events (the pipeline writes in batches). */
export async function readEvents(
  readEndpoint: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<{ events: Array<Record<string, unknown>>; total: number }> {
  const since = new Date(Date.now() - 3_600_000).toISOString();
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${readEndpoint}?since=${since}`, {
      headers: { accept: 'application/json', ...headers },
    });
    const body = (await response.json()) as { events: Array<Record<string, unknown>>; total: number };
    if (body.total >= count || attempt >= 150) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function sendEvent(
  writeEndpoint: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(writeEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BROWSER_HEADERS, ...headers },
    body: JSON.stringify({ events: [{ type: 'pageView', siteId: 'demo', url: `https://demo.test${path}` }] }),
  });
}
