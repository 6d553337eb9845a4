import { bodyLeaseOf, type ClientBudget, limitsOf } from './client-limits.ts';
import { gzipIfAccepted } from './compression.ts';
import { compileCors } from './cors.ts';
import { resolveContext } from './handler-context.ts';
import type { HttpHandler, HttpHandlerOptions, RequestInfo } from './options.ts';
import { createReadGate } from './read-gate.ts';
import { handleRead, handleStats, readFailure } from './read-route.ts';
import { appendVary, errorResponse, json, toResponse, unavailable } from './responses.ts';
import { createRouteMatcher, type RouteName } from './routes.ts';
import { handleSites } from './sites-route.ts';
import { createWriteGate } from './write-gate.ts';
import { handleWrite } from './write-route.ts';

const METHOD: Record<RouteName, 'GET' | 'POST'> = {
  read: 'GET',
  write: 'POST',
  stats: 'GET',
  sites: 'GET',
  ping: 'GET',
};

/**
 * The server side of the HTTP transport as one Fetch handler: `POST {base}/events` (write: Skopos'
 * batches and payloads, and vite-plugin-monitor's `{ "type": "ingest", "events": [...] }`),
 * `GET {base}` (read, in vite-plugin-monitor's shape and semantics), `GET {base}/stats`,
 * `GET {base}/sites` (the dashboard's site picker) and `GET {base}/ping`. It never throws and never answers 5xx for what a client sent: bad input is
 * 4xx, our own trouble (store down, queue full) is 503 with `Retry-After`. Writes over `rateLimit`
 * and wrong read keys past 10 a minute get 429 per client; pass `limits` (`createClientLimits`) to
 * count them together with the app's other paths.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 * import { createHttpHandler } from '@skopos/transport-http';
 *
 * const skopos = createSkopos({ store: memoryStore({ autoCreateWebsites: true }) });
 * const handler = createHttpHandler({ skopos, siteId: 'my-app', cors: { origins: '*' } });
 * // Bun.serve({ fetch: handler }) · Deno.serve(handler) · toNodeListener(handler) for node:http
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const ctx = resolveContext(options);
  const basePath = options.basePath ?? '/_tracker';
  const match = createRouteMatcher(basePath);
  const cors = compileCors(options.cors);
  const limits = limitsOf(options);
  const readGate = createReadGate(options, limits, ctx.logger);
  const writeGate = createWriteGate(options);
  const pingAnswer = { ...options.pingInfo, ok: true };

  async function route(request: Request, info: RequestInfo | undefined): Promise<Response> {
    const url = new URL(request.url);
    const name = match(url.pathname);
    if (name === null) return errorResponse(404, `not found: the tracker routes live under ${basePath}`);
    // Preflights never carry X-Tracker-Key, so they are answered before the key check.
    if (request.method === 'OPTIONS') return cors.preflight(request.headers.get('origin'), name);
    // The writing client's share of the limits, once for its gate and its body's lease.
    const writer =
      name === 'write'
        ? limits.client({ headers: request.headers, remoteAddress: info?.remoteAddress })
        : undefined;
    if (writer !== undefined) {
      const refused = writeGate({
        post: request.method === 'POST',
        headers: request.headers,
        client: writer,
        queryKey: () => url.searchParams.get('key'),
        host: url.host,
      });
      if (refused) return toResponse(refused);
    }
    if (name === 'read' || name === 'stats' || name === 'sites') {
      const refused = await readGate(request, info);
      if (refused) return refused;
    }
    if (request.method !== METHOD[name]) {
      return errorResponse(405, `method not allowed: use ${METHOD[name]}`, undefined, {
        allow: `${METHOD[name]}, OPTIONS`,
      });
    }
    switch (name) {
      case 'write':
        return handleWrite(ctx, request, url, bodyLeaseOf(writer as ClientBudget), info);
      case 'read':
        return handleRead(ctx, request, url);
      case 'stats':
        return gzipIfAccepted(request, await handleStats(ctx, url));
      case 'sites':
        return gzipIfAccepted(request, await handleSites(ctx, (error) => readFailure(ctx, error, false)));
      case 'ping':
        return json(200, pingAnswer);
    }
  }

  return async (request, info) => {
    let response: Response;
    try {
      response = await route(request, info);
    } catch (error) {
      ctx.logger.error('unexpected failure in the HTTP handler', { error: String(error) });
      response = unavailable('internal failure: retry later');
    }
    const name = request.method === 'OPTIONS' ? null : match(new URL(request.url).pathname);
    if (name !== null) {
      for (const [key, value] of Object.entries(cors.headersFor(request.headers.get('origin'), name))) {
        if (key === 'vary') appendVary(response.headers, value);
        else response.headers.set(key, value);
      }
    }
    return response;
  };
}
