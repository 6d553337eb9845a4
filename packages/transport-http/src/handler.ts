import {
  askReadHook,
  createReadAccess,
  isLocalClient,
  presentedReadKey,
  type ReadAccess,
} from '@skopos/core';
import { gzipIfAccepted } from './compression.ts';
import { compileCors } from './cors.ts';
import { type HandlerContext, resolveContext } from './handler-context.ts';
import type { HttpHandler, HttpHandlerOptions, RequestInfo } from './options.ts';
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
 * Whether the client is on this machine: the adapter's word, else worked out from the socket peer
 * and the headers (never from a forwarded address, which a client can forge).
 */
function isLocal(request: Request, info: RequestInfo | undefined): boolean {
  if (info?.local !== undefined) return info.local;
  return isLocalClient({
    peer: info?.remoteAddress,
    headers: request.headers,
    host: new URL(request.url).host,
  });
}

async function hookAllows(
  options: HttpHandlerOptions,
  request: Request,
  info: RequestInfo,
  logger: HandlerContext['logger'],
): Promise<boolean | undefined> {
  const hook = options.authorizeRead;
  if (!hook) return undefined;
  return askReadHook(
    () => hook(request, info),
    (why) => logger.warn(why),
  );
}

/** Read access for one request, or the refusal to answer. */
async function checkRead(
  access: ReadAccess,
  options: HttpHandlerOptions,
  request: Request,
  info: RequestInfo | undefined,
  logger: HandlerContext['logger'],
): Promise<Response | null> {
  const presentedKey = presentedReadKey((name) => request.headers.get(name));
  const local = isLocal(request, info);
  const facts = { presentedKey, local, hookAllows: undefined as boolean | undefined };
  let verdict = access.decide(facts);
  if (!verdict.allowed && verdict.status === 401 && access.needsHook) {
    facts.hookAllows = await hookAllows(options, request, { ...info, local }, logger);
    verdict = access.decide(facts);
  }
  return verdict.allowed ? null : errorResponse(verdict.status, verdict.reason);
}

/**
 * The server side of the HTTP transport as one Fetch handler: `POST {base}/events` (write: Skopos'
 * batches and payloads, and vite-plugin-monitor's `{ "type": "ingest", "events": [...] }`),
 * `GET {base}` (read, in vite-plugin-monitor's shape and semantics), `GET {base}/stats`,
 * `GET {base}/sites` (the dashboard's site picker) and `GET {base}/ping`. It never throws and never answers 5xx for what a client sent: bad input is
 * 4xx, our own trouble (store down, queue full) is 503 with `Retry-After`.
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
  const access = createReadAccess(
    {
      readKey: options.readKey,
      apiKey: options.apiKey,
      reads: options.reads,
      hasHook: !!options.authorizeRead,
    },
    { component: 'skopos/transport-http', logger: ctx.logger },
  );
  const writeGate = createWriteGate(options);

  async function route(request: Request, info: RequestInfo | undefined): Promise<Response> {
    const url = new URL(request.url);
    const name = match(url.pathname);
    if (name === null) return errorResponse(404, `not found: the tracker routes live under ${basePath}`);
    // Preflights never carry X-Tracker-Key, so they are answered before the key check.
    if (request.method === 'OPTIONS') return cors.preflight(request.headers.get('origin'), name);
    if (name === 'write') {
      const refused = writeGate({
        post: request.method === 'POST',
        headers: request.headers,
        remoteAddress: info?.remoteAddress,
        queryKey: () => url.searchParams.get('key'),
      });
      if (refused) return toResponse(refused);
    }
    if (name === 'read' || name === 'stats' || name === 'sites') {
      const refused = await checkRead(access, options, request, info, ctx.logger);
      if (refused) return refused;
    }
    if (request.method !== METHOD[name]) {
      return errorResponse(405, `method not allowed: use ${METHOD[name]}`, undefined, {
        allow: `${METHOD[name]}, OPTIONS`,
      });
    }
    switch (name) {
      case 'write':
        return handleWrite(ctx, request, url, info);
      case 'read':
        return gzipIfAccepted(request, await handleRead(ctx, url));
      case 'stats':
        return gzipIfAccepted(request, await handleStats(ctx, url));
      case 'sites':
        return gzipIfAccepted(request, await handleSites(ctx, (error) => readFailure(ctx, error, false)));
      case 'ping':
        return json(200, { ok: true });
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
