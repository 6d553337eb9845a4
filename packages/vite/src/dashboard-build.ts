import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createLogger, type Logger } from '@skopos/core';
import { type DashboardPageConfig, dashboardAssetsDir } from '@skopos/dashboard';
import { type ClientEndpoints, parentEndpoint } from './endpoints.ts';
import type { ResolvedOptions } from './options.ts';

/** One file of the build output, for `this.emitFile({ type: 'asset', fileName, source })`. */
export interface DashboardBuildFile {
  /** Relative to the build's `outDir`: `_dashboard/index.html`, `_dashboard/assets/index-x.js`. */
  fileName: string;
  source: string | Uint8Array;
}

export interface DashboardBuildContext {
  /** Vite's `base`: an absolute one (`/app/`) prefixes the page's `<base href>`. Default `/`. */
  base?: string | undefined;
  /** Where the build's notices go (default: the console, prefixed `[skopos/vite]`). */
  logger?: Logger | undefined;
}

/**
 * The endpoint the page reads over HTTP. In websocket mode there is only `wsEndpoint`: its HTTP
 * twin without the last segment (`wss://h/_tracker/ws` → `https://h/_tracker`) is where
 * `skopos serve` answers reads, unless `storage.readEndpoint` names another place.
 */
function readEndpointOf(options: ResolvedOptions, endpoints: ClientEndpoints): string | undefined {
  if (endpoints.readEndpoint) return endpoints.readEndpoint;
  if (options.storage.readEndpoint) return options.storage.readEndpoint;
  const ws = endpoints.wsEndpoint;
  return ws ? parentEndpoint(ws.replace(/^ws/i, 'http')) : undefined;
}

/**
 * `<base href>` for the route under an absolute `base`, so that the page's relative asset URLs
 * resolve even when a host serves it at `/_dashboard` without the slash. A relative or full-URL
 * base leaves it out: the page then resolves its assets from `…/_dashboard/` itself.
 */
function baseHref(route: string, base: string): string | undefined {
  return base.startsWith('/') ? `${base.replace(/\/+$/, '')}${route}/` : undefined;
}

/** The page with its config and `<base>`; `<` is escaped so that no value can close the script. */
function indexPage(template: string, config: DashboardPageConfig, href: string | undefined): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const head = [
    // A public static page: keep its URL out of search engines.
    '<meta name="robots" content="noindex">',
    href ? `<base href="${href.replace(/"/g, '%22')}">` : '',
    `<script>window.__SKOPOS_DASHBOARD__=${json};</script>`,
  ].join('');
  return template.replace('<head>', `<head>${head}`);
}

async function appFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
  }
  return files;
}

/**
 * vite-plugin-monitor's `dashboard.includeInBuild`: the dashboard as static files under
 * `dashboard.route` of the build output, reading the production endpoints every
 * `dashboard.pollInterval` ms. No files when `includeInBuild` is off, and none with
 * `dashboard.auth`: Skopos' login is a server-side session a static host cannot run, and
 * vite-plugin-monitor's in-page check would put the credential's hashes into the page, which
 * protects nothing. Publishing an open page the user meant to be closed is the worse failure, so
 * the dashboard is left out with a warning and the build goes on.
 *
 * The page reads as vite-plugin-monitor's does, with `X-Tracker-Key: <storage.apiKey>`: that key
 * is public (every tracked page holds it), and a server without a read key accepts it for reads.
 * A server with `skopos serve --read-key` refuses it, and the page says so.
 *
 * @example
 * // in a plugin: generateBundle() { for (const file of await dashboardBuildFiles(resolved, clientEndpoints(resolved, 'build'), { base: config.base })) this.emitFile({ type: 'asset', ...file }); }
 */
export async function dashboardBuildFiles(
  options: ResolvedOptions,
  endpoints: ClientEndpoints,
  context: DashboardBuildContext = {},
): Promise<Array<DashboardBuildFile>> {
  const { dashboard, storage } = options;
  if (!dashboard.includeInBuild) return [];
  const logger = context.logger ?? createLogger({ prefix: '[skopos/vite]' });
  if (dashboard.auth) {
    logger.warn(
      `dashboard.includeInBuild: the dashboard is left out of the build because dashboard.auth is set, and a static page cannot run its login. Use the dashboard of \`skopos serve --dashboard-password\`, or remove dashboard.auth to publish ${dashboard.route} open to anyone who can reach it.`,
    );
    return [];
  }
  const readEndpoint = readEndpointOf(options, endpoints);
  if (!readEndpoint) {
    logger.warn(
      'dashboard.includeInBuild: no dashboard in the build, there is no endpoint to read: set storage.readEndpoint',
    );
    return [];
  }
  let files: Map<string, Uint8Array>;
  try {
    files = await appFiles(dashboardAssetsDir());
  } catch (error) {
    logger.warn(
      `dashboard.includeInBuild: the built dashboard of @skopos/dashboard is missing (${(error as Error).message})`,
    );
    return [];
  }
  const template = files.get('index.html');
  if (!template) {
    logger.warn('dashboard.includeInBuild: @skopos/dashboard has no built index.html: build that package');
    return [];
  }
  const config: DashboardPageConfig = {
    readEndpoint,
    ...(endpoints.pingEndpoint ? { pingEndpoint: endpoints.pingEndpoint } : {}),
    pollInterval: dashboard.pollInterval,
    // As vite-plugin-monitor's dashboard sends it (a served Skopos page never holds a key).
    ...(storage.apiKey ? { readHeaders: { 'X-Tracker-Key': storage.apiKey } } : {}),
  };
  const dir = dashboard.route.slice(1);
  logger.info(
    `dashboard.includeInBuild: ${dashboard.route}/ is a static page that anyone who can open it may use; it reads ${readEndpoint}${storage.apiKey ? ' with the public apiKey' : ''}`,
  );
  const index = indexPage(
    new TextDecoder().decode(template),
    config,
    baseHref(dashboard.route, context.base ?? '/'),
  );
  return [...files].map(([path, source]) => ({
    fileName: `${dir}/${path}`,
    source: path === 'index.html' ? index : source,
  }));
}
