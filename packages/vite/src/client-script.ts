import { functionExpression } from './page-code.ts';
import { loadTrackerScript } from './tracker-script.ts';

/** The monitor trackers, each a separate script of `@skopos/browser` (only those switched on ship). */
export const MONITOR_TRACKERS = ['console', 'clicks', 'http', 'errors', 'navigation'] as const;
export type MonitorTracker = (typeof MONITOR_TRACKERS)[number];

/** What decides the page's script: which trackers are on, the user id resolver, `autoInit`, the mode. */
export interface ClientScriptOptions {
  track: Record<MonitorTracker, unknown> & { userId?: (() => string | null) | undefined };
  autoInit: boolean;
  storage: { mode: string };
  overlay: { enabled: boolean };
}

/** Whether `track.http` asks for headers or bodies: the http tracker's larger build has the redaction. */
function capturesHttp(http: unknown): boolean {
  if (typeof http !== 'object' || http === null) return false;
  const options = http as Record<string, unknown>;
  return [
    'captureRequestHeaders',
    'captureRequestBody',
    'captureResponseHeaders',
    'captureResponseBody',
  ].some((flag) => options[flag] === true);
}

/**
 * The one script a page loads: the trackers that are on (each registers itself), the monitor
 * client, then the bootstrap that installs the trackers at once — before the app's own scripts,
 * which come later in document order — and, with `autoInit`, starts sending. Served as a file,
 * never inlined: the user's `track.userId` source then cannot end an inline `<script>`.
 */
export async function clientScript(root: string, options: ClientScriptOptions): Promise<string> {
  const names: string[] = MONITOR_TRACKERS.filter((name) => options.track[name]).map((name) =>
    name === 'http' && capturesHttp(options.track.http) ? 'http-capture' : name,
  );
  // The debug overlay ships wherever it is enabled, builds included, as in vite-plugin-monitor
  // (a build warns about it: it shows ids and recent events to whoever opens the page).
  if (options.overlay.enabled) names.push('overlay');
  const parts = await Promise.all([
    ...names.map((name) => loadTrackerScript(root, `monitor-${name}.global.js`)),
    // One sender per build: the page never carries the one its mode does not use.
    loadTrackerScript(
      root,
      options.storage.mode === 'websocket' ? 'skopos-monitor-ws.global.js' : 'skopos-monitor-http.global.js',
    ),
  ]);
  const userId = options.track.userId ? functionExpression(options.track.userId) : 'undefined';
  const boot = [
    `var m=window.__skopos_monitor__,u=${userId};`,
    'm.setup(u);',
    options.autoInit ? 'm.init(u);' : '',
  ].join('');
  // Each IIFE ends its own statement; the newlines keep a source's trailing comment from eating the next.
  return `${parts.join('\n;')}\n;(function(){${boot}})();\n`;
}
