import type { TrackerHost } from './dev-server.ts';

/**
 * The origins the dev page is served from, for the standalone server's CORS: Vite's resolved URLs
 * (local and network), with `localhost` and `127.0.0.1` both allowed for the same port. `'*'` when
 * Vite has no HTTP server of its own (middleware mode inside another server).
 */
export function devOrigins(server: Pick<TrackerHost, 'resolvedUrls'>): readonly string[] | '*' {
  const urls = server.resolvedUrls;
  if (!urls) return '*';
  const origins = new Set<string>();
  for (const url of [...urls.local, ...urls.network]) {
    const { protocol, hostname, port } = new URL(url);
    origins.add(`${protocol}//${hostname}:${port}`);
    for (const alias of ['localhost', '127.0.0.1', '[::1]']) {
      if (['localhost', '127.0.0.1', '[::1]'].includes(hostname))
        origins.add(`${protocol}//${alias}:${port}`);
    }
  }
  return origins.size > 0 ? [...origins] : '*';
}
