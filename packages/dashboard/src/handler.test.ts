import { isSkoposError } from '@skopos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler } from './handler.ts';
import { assetPaths, injectedConfig, requireBuiltApp } from './test-support.ts';

const ORIGIN = 'http://localhost:5173';
let handler: ReturnType<typeof createDashboardHandler>;

async function get(path: string, method = 'GET'): Promise<Response | null> {
  return handler(new Request(`${ORIGIN}${path}`, { method }));
}

async function page(path: string): Promise<string> {
  const response = await get(path);
  expect(response?.status).toBe(200);
  return (await response?.text()) ?? '';
}

beforeAll(() => {
  requireBuiltApp();
  handler = createDashboardHandler({
    readEndpoint: '/_tracker',
    pingEndpoint: '/_tracker/ping?x=</script><script>alert(1)</script>',
  });
});

describe('createDashboardHandler', () => {
  it('serves the page at the route, with or without a trailing slash, carrying the config', async () => {
    for (const path of ['/_tracker/dashboard', '/_tracker/dashboard/', '/_tracker/dashboard/index.html']) {
      const response = await get(path);
      expect(response?.status).toBe(200);
      expect(response?.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response?.headers.get('cache-control')).toBe('no-store');
      const html = (await response?.text()) ?? '';
      expect(html).toContain('<base href="/_tracker/dashboard/">');
      expect(injectedConfig(html)).toEqual({
        readEndpoint: '/_tracker',
        pingEndpoint: '/_tracker/ping?x=</script><script>alert(1)</script>',
      });
    }
  });

  it('never lets a config value close the script element', async () => {
    const html = await page('/_tracker/dashboard/');
    expect(html).not.toContain('<script>alert(1)');
    // The config script and Vite's module script: the value added none.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('leaves pingEndpoint and login out of the page when they are not configured', async () => {
    const plain = createDashboardHandler({
      readEndpoint: 'http://127.0.0.1:4242/_tracker',
      route: '/stats/',
    });
    const response = await plain(new Request(`${ORIGIN}/stats`));
    expect(injectedConfig((await response?.text()) ?? '')).toEqual({
      readEndpoint: 'http://127.0.0.1:4242/_tracker',
    });
  });

  it('serves the built assets with their content types and long caching', async () => {
    const assets = assetPaths(await page('/_tracker/dashboard/'));
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const response = await get(`/_tracker/dashboard/${asset}`);
      expect(response?.status).toBe(200);
      expect(response?.headers.get('content-type')).toBe(
        asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(response?.headers.get('cache-control')).toContain('immutable');
      expect(response?.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await response?.arrayBuffer())?.byteLength).toBeGreaterThan(1000);
    }
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await get('/_tracker/dashboard/', 'HEAD');
    expect(head?.status).toBe(200);
    expect(await head?.text()).toBe('');
    const post = await get('/_tracker/dashboard/', 'POST');
    expect(post?.status).toBe(405);
    expect(post?.headers.get('allow')).toBe('GET, HEAD');
  });

  it('returns null outside the route, so the next handler answers', async () => {
    for (const path of [
      '/',
      '/_tracker',
      '/_tracker/stats',
      '/_tracker/dashboardx',
      '/x/_tracker/dashboard',
    ]) {
      expect(await get(path)).toBeNull();
    }
  });

  it('answers 404 for unknown files and refuses every traversal attempt', async () => {
    for (const path of [
      '/_tracker/dashboard/missing.js',
      '/_tracker/dashboard/..%2fpackage.json',
      '/_tracker/dashboard/..%2f..%2fpackage.json',
      '/_tracker/dashboard/assets/..%2f..%2f..%2fpackage.json',
      '/_tracker/dashboard/..%5c..%5cpackage.json',
      '/_tracker/dashboard/%2e%2e%2f%2e%2e%2fsrc%2fhandler.ts',
      '/_tracker/dashboard/%00',
      '/_tracker/dashboard/%E0%A4%A',
      '/_tracker/dashboard//etc/passwd',
    ]) {
      const response = await get(path);
      expect(response?.status, path).toBe(404);
      expect(await response?.text()).toBe('Not found');
    }
  });

  it("carries pollInterval (vite-plugin-monitor's dashboard.pollInterval) into the page", async () => {
    const polled = createDashboardHandler({ readEndpoint: '/_tracker', pollInterval: 1500 });
    const response = await polled(new Request(`${ORIGIN}/_tracker/dashboard/`));
    expect(injectedConfig((await response?.text()) ?? '')).toEqual({
      readEndpoint: '/_tracker',
      pollInterval: 1500,
    });
  });

  it('rejects a route that is not a path, a missing readEndpoint, a bad pollInterval and bad login options', () => {
    for (const options of [
      { readEndpoint: '/_tracker', route: 'dashboard' },
      { readEndpoint: '/_tracker', route: '/' },
      { readEndpoint: '' },
      { readEndpoint: '/_tracker', pollInterval: 499 },
      { readEndpoint: '/_tracker', pollInterval: 1500.5 },
      { readEndpoint: '/_tracker', password: '' },
      { readEndpoint: '/_tracker', password: 'pw', sessionSecret: 'short' },
      { readEndpoint: '/_tracker', password: 'pw', sessionTtlSeconds: 0 },
      { readEndpoint: '/_tracker', password: 'pw', sessionTtlSeconds: 1.5 },
      { readEndpoint: '/_tracker', password: 'pw', publicOrigin: 'stats.example.com' },
      { readEndpoint: '/_tracker', password: 'pw', publicOrigin: 'https://stats.example.com/dashboard' },
      { readEndpoint: '/_tracker', password: 'pw', publicOrigin: 'ftp://stats.example.com' },
    ]) {
      let error: unknown;
      try {
        createDashboardHandler(options);
      } catch (caught) {
        error = caught;
      }
      expect(isSkoposError(error) && error.message.startsWith('[skopos/dashboard]')).toBe(true);
    }
  });
});

describe('createDashboardHandler without a password', () => {
  it('serves no login, and authorize() is always false', async () => {
    expect(handler.login).toBe(false);
    expect((await get('/_tracker/dashboard/login'))?.status).toBe(404);
    expect((await get('/_tracker/dashboard/login', 'POST'))?.status).toBe(405);
    expect(handler.authorize(new Headers({ cookie: 'skopos_session=1.2.3' }))).toBe(false);
    expect(handler.authorize({})).toBe(false);
  });

  it('refuses apiKey: the page no longer embeds a key', () => {
    let error: unknown;
    try {
      createDashboardHandler({ readEndpoint: '/_tracker', apiKey: 'secret' } as never);
    } catch (caught) {
      error = caught;
    }
    expect(isSkoposError(error) ? error.code : error).toBe('invalid_options');
    expect((error as Error).message).toContain('no longer embeds a key');
    expect((error as Error).message).toContain('password');
    expect((error as Error).message).toContain('read key');
  });
});
