import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Logger } from '@skopos/core';
import type { Plugin } from 'vite';
import { type DashboardBuildFile, dashboardBuildFiles } from './dashboard-build.ts';
import { clientEndpoints } from './endpoints.ts';
import { resolveOptions, type TrackerPluginOptions } from './options.ts';

/** A logger that keeps its lines, so that a test can read the build's notices. */
export function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string): void => void lines.push(message);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

/** `window.__SKOPOS_DASHBOARD__` of the built page under `route` (no leading slash). */
export function pageConfigOf(files: DashboardBuildFile[], route: string): unknown {
  const index = files.find((file) => file.fileName === `${route}/index.html`);
  const json = /window\.__SKOPOS_DASHBOARD__=(.*?);<\/script>/.exec(String(index?.source))?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** The build output as a static host serves it (a directory URL gets its index.html). */
export async function serveStatic(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://static').pathname;
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What plugin.ts is to do with the files: emit them into the bundle, with Vite's `base`. */
export function emitDashboard(options: TrackerPluginOptions): Plugin {
  const resolved = resolveOptions(options);
  let base = '/';
  return {
    name: 'test:emit-dashboard',
    configResolved(config) {
      base = config.base;
    },
    async generateBundle() {
      const endpoints = clientEndpoints(resolved, 'build');
      for (const file of await dashboardBuildFiles(resolved, endpoints, { base, logger: recorder() })) {
        this.emitFile({ type: 'asset', ...file });
      }
    },
  };
}
