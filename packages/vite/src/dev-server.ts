import { resolve } from 'node:path';
import type { PreviewServer, ViteDevServer } from 'vite';
import { createTrackerBackend, type TrackerBackend } from './backend.ts';
import { createDashboard, lazyDashboard } from './dashboard.ts';
import { devMiddleware } from './dev-middleware.ts';
import { devOrigins } from './dev-origins.ts';
import { clientEndpoints, effectiveMode, TRACKER_BASE } from './endpoints.ts';
import type { ResolvedOptions } from './options.ts';
import { pingInfo } from './plugin-version.ts';
import { bannerLines } from './print-urls.ts';
import { type StandaloneLifecycle, standaloneWithVite } from './standalone-lifecycle.ts';
import { fromViteLogger } from './vite-logger.ts';

/** What the plugin runs for one dev server. */
export interface DevState {
  /** The standalone server's URL once it listens (standalone mode), else undefined. */
  standaloneUrl(): Promise<string | undefined>;
  /** Stops what this dev server started; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * What the tracker needs of a server: `vite dev`'s or `vite preview`'s (vite-plugin-monitor serves
 * its routes and dashboard on both).
 */
export type TrackerHost = Pick<
  ViteDevServer | PreviewServer,
  'config' | 'httpServer' | 'middlewares' | 'resolvedUrls' | 'printUrls'
>;

/** Where the dev server serves the tracker script. */
export const DEV_SCRIPT_PATH = `${TRACKER_BASE}/skopos.js`;

/**
 * Sets up one dev server (or `vite preview`'s): the memory backend (middleware mode) or the
 * standalone server, the dashboard, the ping and the script. State is per server, not per plugin: a plugin passed inline
 * is reused across `server.restart()`, where the new server is set up before the old one closes.
 */
export function setupDevServer(
  server: TrackerHost,
  options: ResolvedOptions,
  script: () => Promise<string>,
): DevState {
  const { storage } = options;
  const logger = fromViteLogger(server.config.logger);
  const mode = effectiveMode(storage.mode, 'serve');
  const dashboardRoute = options.dashboard.enabled ? options.dashboard.route : false;
  // dashboard.auth: the dashboard's login (the password; Skopos' login asks for no user name).
  const dashboardPassword = options.dashboard.auth ? options.dashboard.auth.password : undefined;
  // The log files of the server modes; relative paths are taken from the Vite root.
  const logging = {
    level: options.logging.level,
    transports: options.logging.transports.map((transport) => ({
      ...transport,
      path: resolve(server.config.root, transport.path),
    })),
  };
  let backend: TrackerBackend | undefined;
  let standalone: StandaloneLifecycle | undefined;
  // A standalone server that cannot listen (its port taken by another app) is reported in the
  // terminal below; the pages still load, as with vite-plugin-monitor, with the configured port.
  const standaloneUrl = async (): Promise<string | undefined> =>
    standalone ? (await standalone.ready.catch(() => undefined))?.url : undefined;
  // In standalone mode the dashboard's endpoints are known once that server listens.
  const dashboard = lazyDashboard(async () =>
    createDashboard({
      route: dashboardRoute,
      password: dashboardPassword,
      pollInterval: options.dashboard.pollInterval,
      endpoints: clientEndpoints(options, 'serve', await standaloneUrl()),
      logger,
    }),
  );
  if (mode === 'middleware') {
    backend = createTrackerBackend({
      appId: options.appId,
      mode,
      maxBufferSize: storage.maxBufferSize,
      apiKey: storage.apiKey,
      readSession: dashboardPassword ? dashboard.authorize : undefined,
      logging,
      logger,
    });
  } else if (mode === 'standalone') {
    standalone = standaloneWithVite(server.httpServer, {
      appId: options.appId,
      port: storage.port,
      maxBufferSize: storage.maxBufferSize,
      apiKey: storage.apiKey,
      dashboardRoute,
      dashboardPassword,
      dashboardPollInterval: options.dashboard.pollInterval,
      origins: () => devOrigins(server),
      logging,
      logger,
    });
    standalone.ready.then(
      (running) => logger.info(`standalone tracker server on ${running.url}${TRACKER_BASE}`),
      (error: unknown) => logger.error((error as Error).message),
    );
  }
  server.middlewares.use(
    devMiddleware({
      scriptPath: DEV_SCRIPT_PATH,
      script,
      backend,
      ping: pingInfo(options.appId, mode),
      dashboard: dashboardRoute === false ? undefined : { route: dashboardRoute, handler: dashboard },
    }),
  );
  const printUrls = server.printUrls.bind(server);
  server.printUrls = () => {
    printUrls();
    const localUrl = server.resolvedUrls?.local[0];
    if (!localUrl) return;
    const endpoints = clientEndpoints(options, 'serve');
    for (const line of bannerLines({ localUrl, mode, endpoints, dashboardRoute }))
      server.config.logger.info(line);
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= Promise.all([standalone?.close(), backend?.close()]).then(() => undefined);
    return stopping;
  };
  server.httpServer?.once('close', () => void stop());
  return { standaloneUrl, stop };
}
