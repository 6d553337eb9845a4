import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { SkoposError } from '@skopos/core';
import type { HtmlTagDescriptor, Plugin, ResolvedConfig } from 'vite';
import { projectVersion } from './build-version.ts';
import { clientScript } from './client-script.ts';
import { dashboardBuildFiles } from './dashboard-build.ts';
import { DEV_SCRIPT_PATH, type DevState, setupDevServer } from './dev-server.ts';
import { clientEndpoints, effectiveMode } from './endpoints.ts';
import { upgradeLegacyOptions } from './legacy-options.ts';
import { resolveOptions, type TrackerPluginOptions } from './options.ts';
import { pageConfig, pageConfigScript } from './page-config.ts';
import { fromViteLogger } from './vite-logger.ts';

export { DEV_SCRIPT_PATH };

function checkBuild(options: ReturnType<typeof resolveOptions>, log: (message: string) => void): void {
  const { mode, writeEndpoint } = options.storage;
  if (mode === 'auto' && !writeEndpoint) {
    throw new SkoposError(
      'invalid_options',
      "[skopos/vite] storage.writeEndpoint is required to build: storage.mode 'auto' serves the tracker from the Vite dev server only. Set storage.writeEndpoint to your API, as in storage.mode 'http', e.g. a `skopos serve` server's http://<host>:4242/_tracker/events",
    );
  }
  if (options.overlay.enabled) {
    log(
      'overlay.enabled: the debug overlay (user id, session id, recent events) ships in this build, for everyone who opens its pages. Set it only for staging or QA builds.',
    );
  }
  if (mode === 'middleware' || mode === 'standalone') {
    log(
      `storage.mode '${mode}' exists only in dev and \`vite preview\`: the built pages send to ${mode === 'middleware' ? 'their own origin' : `localhost:${options.storage.port}`}. Use mode 'http' for production.`,
    );
  }
}

/**
 * The tracker script's URL in a page at `pagePath` (`/about/index.html`): `base` + the file, or with
 * a relative base (`./`, as Vite reads '' too) the file relative to that page, as Vite links its own
 * assets, so that nested pages find it.
 */
function scriptSrc(config: ResolvedConfig | undefined, file: string | undefined, pagePath: string): string {
  if (!config || file === undefined) return DEV_SCRIPT_PATH;
  if (config.base !== '' && !config.base.startsWith('.')) return `${config.base}${file}`;
  const relative = posix.relative(posix.dirname(pagePath), `/${file}`);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * The Skopos tracker for Vite (vite-plugin-monitor): injects the browser tracker and a frozen
 * `window.__TRACKER_CONFIG__` into every HTML page, and in dev serves the storage of the chosen mode
 * (`auto`, `middleware`, `standalone`, `http`, `websocket`), `/_tracker/ping` and the dashboard route.
 *
 * @example
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { trackerPlugin } from '@skopos/vite';
 *
 * export default defineConfig({
 *   plugins: [
 *     trackerPlugin({
 *       appId: 'my-app',
 *       storage: { mode: 'http', writeEndpoint: 'https://api.myapp.com/tracker/events', apiKey: process.env.TRACKER_API_KEY },
 *     }),
 *   ],
 * });
 */
export function trackerPlugin(options: TrackerPluginOptions): Plugin {
  const upgraded = upgradeLegacyOptions(options);
  const resolved = resolveOptions(upgraded.options);
  // `enabled: false` (vite-plugin-monitor): no script, no routes, no dashboard, no log files.
  if (!resolved.enabled) return { name: 'skopos:tracker' };
  let config: ResolvedConfig | undefined;
  // The emitted script's path in the build output; undefined in dev (DEV_SCRIPT_PATH is served).
  let scriptFile: string | undefined;
  // The page config's options: `buildVersion` (every event's meta.buildVersion) defaults to the
  // project's package.json version once Vite's root is known.
  let pageOptions = resolved;
  let scriptSource: Promise<string> | undefined;
  // Keyed by the dev server's client environment, which a restart replaces (see setupDevServer).
  const devStates = new WeakMap<object, DevState>();
  // The monitor client with only the trackers that are on; it picks HTTP or WebSocket from the page config.
  const script = (): Promise<string> => {
    scriptSource ??= clientScript(config?.root ?? process.cwd(), resolved);
    return scriptSource;
  };

  return {
    name: 'skopos:tracker',
    configResolved(resolvedConfig) {
      config = resolvedConfig;
      for (const notice of upgraded.notices) fromViteLogger(resolvedConfig.logger).warn(notice);
      const version = resolved.buildVersion ?? projectVersion(resolvedConfig.root);
      pageOptions = version === undefined ? resolved : { ...resolved, buildVersion: version };
      if (resolvedConfig.command === 'build' && !resolvedConfig.build.ssr) {
        const logger = fromViteLogger(resolvedConfig.logger);
        checkBuild(resolved, (message) => logger.warn(message));
      }
    },
    configureServer(server) {
      devStates.set(server.environments.client, setupDevServer(server, resolved, script));
    },
    configurePreviewServer(server) {
      // `vite preview` (as vite-plugin-monitor): the built pages of the middleware and standalone
      // modes send to this server, so it serves the same routes and dashboard as `vite dev`. Stopped
      // when the preview server closes (there is no closeBundle then).
      setupDevServer(server, resolved, script);
      // Vite skips its own "did you build?" check once a plugin has this hook: say it here.
      const outDir = resolve(server.config.root, server.config.build.outDir);
      if (!existsSync(outDir)) {
        fromViteLogger(server.config.logger).warn(
          `vite preview: "${outDir}" does not exist. Did you build your project? (vite build)`,
        );
      }
    },
    async buildStart() {
      if (config?.command !== 'build' || config.build.ssr) return;
      const source = await script();
      const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
      const fileName = `${config.build.assetsDir ? `${config.build.assetsDir}/` : ''}skopos-monitor-${hash}.js`;
      this.emitFile({ type: 'asset', fileName, source });
      scriptFile = fileName;
    },
    async transformIndexHtml(_html, context) {
      const command = context.server ? 'serve' : 'build';
      const state = context.server && devStates.get(context.server.environments.client);
      const mode = effectiveMode(resolved.storage.mode, command);
      const endpoints = clientEndpoints(resolved, command, await state?.standaloneUrl());
      const tags: HtmlTagDescriptor[] = [
        {
          tag: 'script',
          children: pageConfigScript(pageConfig(pageOptions, mode, endpoints)),
          injectTo: 'head-prepend',
        },
        {
          tag: 'script',
          // Deferred scripts run in document order: the trackers are in place before the app's modules.
          attrs: { defer: true, src: scriptSrc(config, scriptFile, context.path) },
          injectTo: 'head-prepend',
        },
      ];
      return tags;
    },
    async generateBundle() {
      if (config?.command !== 'build' || config.build.ssr) return;
      // dashboard.includeInBuild: the static dashboard under its route (nothing when off or with auth).
      const logger = fromViteLogger(config.logger);
      const endpoints = clientEndpoints(resolved, 'build');
      for (const file of await dashboardBuildFiles(resolved, endpoints, { base: config.base, logger })) {
        this.emitFile({ type: 'asset', ...file });
      }
    },
    async closeBundle() {
      // Vite calls closeBundle for each environment when a dev server closes.
      const state = this.environment && devStates.get(this.environment);
      await state?.stop();
    },
  };
}
