import type { ResolvedOptions, StorageMode } from './options.ts';

/** The base path of the tracker routes served in dev (vite-plugin-monitor). */
export const TRACKER_BASE = '/_tracker';
export const PING_PATH = `${TRACKER_BASE}/ping`;

/** The mode actually used: `auto` is `middleware` in dev and `http` at build. */
export type EffectiveMode = Exclude<StorageMode, 'auto'>;

export function effectiveMode(mode: StorageMode, command: 'serve' | 'build'): EffectiveMode {
  if (mode !== 'auto') return mode;
  return command === 'serve' ? 'middleware' : 'http';
}

/**
 * `readEndpoint` when omitted, as vite-plugin-monitor's plugin infers it: `writeEndpoint` without a
 * trailing `/events` (`https://api.myapp.com/tracker/events` → `https://api.myapp.com/tracker`),
 * any other endpoint as it is (a backend that answers reads with GET on its write URL). Its README
 * example shows `/ingest` stripped too; its code does not, and its users' backends follow the code.
 */
export function inferReadEndpoint(writeEndpoint: string): string {
  return writeEndpoint.replace(/\/events\/?$/, '') || '/';
}

/** `endpoint` without its last path segment and query (`https://h/_tracker/ws` → `https://h/_tracker`). */
export function parentEndpoint(endpoint: string): string {
  const path = endpoint.split(/[?#]/, 1)[0] ?? endpoint;
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  // Keep `https://host` whole when there is no path segment left to strip.
  if (cut < 0 || /^[a-z]+:\/\/[^/]*$/i.test(trimmed) || trimmed.slice(0, cut).endsWith('/')) return trimmed;
  return trimmed.slice(0, cut) || '/';
}

/** The endpoints a page and the dashboard use, in one mode. */
export interface ClientEndpoints {
  writeEndpoint?: string;
  readEndpoint?: string;
  pingEndpoint?: string;
  wsEndpoint?: string;
}

/**
 * vite-plugin-monitor's endpoint auto-configuration: middleware → same-origin `/_tracker/events` and
 * `/_tracker`; standalone → `http://localhost:<port>/_tracker/…` (`standaloneUrl` once it listens,
 * so that port 0 shows the port picked); http → the user's, with the read endpoint inferred;
 * websocket → `wsEndpoint`. An explicit `pingEndpoint` always wins.
 */
export function clientEndpoints(
  options: ResolvedOptions,
  command: 'serve' | 'build',
  standaloneUrl?: string,
): ClientEndpoints {
  const storage = options.storage;
  const mode = effectiveMode(storage.mode, command);
  const ping = storage.pingEndpoint ? { pingEndpoint: storage.pingEndpoint } : {};
  switch (mode) {
    case 'middleware':
      return {
        writeEndpoint: `${TRACKER_BASE}/events`,
        readEndpoint: TRACKER_BASE,
        pingEndpoint: PING_PATH,
        ...ping,
      };
    case 'standalone': {
      const base = `${standaloneUrl ?? `http://localhost:${storage.port}`}${TRACKER_BASE}`;
      return { writeEndpoint: `${base}/events`, readEndpoint: base, pingEndpoint: `${base}/ping`, ...ping };
    }
    case 'http': {
      const write = storage.writeEndpoint;
      if (!write) return { ...ping };
      return {
        writeEndpoint: write,
        readEndpoint: storage.readEndpoint ?? inferReadEndpoint(write),
        ...ping,
      };
    }
    case 'websocket':
      return { ...(storage.wsEndpoint ? { wsEndpoint: storage.wsEndpoint } : {}), ...ping };
  }
}
