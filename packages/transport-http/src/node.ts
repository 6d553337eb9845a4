import type { IncomingMessage, ServerResponse } from 'node:http';
import { SkoposError } from '@skopos/core';
import { limitsOf } from './client-limits.ts';
import { createHttpHandler } from './handler.ts';
import { drain } from './node-request.ts';
import { createNodeWriteRoute } from './node-write.ts';
import type { HttpHandler, HttpHandlerOptions } from './options.ts';
import { STALLED_WRITE_MS } from './server-limits.ts';

export { hardenServer, type ServerLimits } from './harden-server.ts';
export type { NodeHeaders } from './node-request.ts';
export { createNodeWriteRoute, type NodeWriteRoute, type NodeWriteSource } from './node-write.ts';
export type { ServerLimitOptions } from './server-limits.ts';
export { writeQueuedReplies } from './turn-replies.ts';

/**
 * The request body as a pull-based web stream: Node reads only as fast as the handler consumes,
 * so the handler's byte limit bounds memory. Cancelling pauses instead of destroying the socket,
 * which would lose the 413 answer on its way out.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  const stop = (): void => {
    open = false;
    req.pause();
    req.removeAllListeners('data');
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on('data', (chunk: Uint8Array) => {
          if (!open) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          if (open) controller.close();
          open = false;
        });
        req.on('error', (error) => {
          if (open) controller.error(error);
          open = false;
        });
      },
      pull() {
        req.resume();
      },
      cancel: stop,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const target = req.url ?? '/';
  // A Host outside this plain pattern must not make the request URL invalid. Its stand-in is a name that resolves
  // nowhere, never `localhost`: the read gate would take a rebound hostile name for this machine.
  const host = /^[a-z0-9.:[\]-]+$/i.test(req.headers.host ?? '') ? req.headers.host : 'host.invalid';
  const url = target.startsWith('/') ? `http://${host}${target}` : target;
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

const ignore = (): void => {};

function writeJson(res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (status === 503) headers['retry-after'] = '5';
  res.writeHead(status, headers).end(body);
}

async function writeResponse(
  res: ServerResponse,
  response: Response,
  bodyUnread: boolean,
  stalledWriteMs: number,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // The client is still sending a body nobody will read: do not reuse this connection.
  if (bodyUnread) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (res.destroyed) {
      await reader.cancel();
      return;
    }
    if (!res.write(value)) await new Promise<void>((resolve) => waitForDrain(res, stalledWriteMs, resolve));
  }
  res.end();
}

export { STALLED_WRITE_MS };

/** Options of `toNodeListener`. */
export interface NodeListenerOptions {
  /** Ms an answer may wait for the client to read on before the connection is dropped (default 30 000). */
  stalledWriteMs?: number | undefined;
}

function waitForDrain(res: ServerResponse, stalledWriteMs: number, resolve: () => void): void {
  const stalled = setTimeout(() => res.destroy(), stalledWriteMs);
  stalled.unref?.();
  const done = (): void => {
    clearTimeout(stalled);
    res.off('drain', done);
    res.off('close', done);
    resolve();
  };
  res.on('drain', done);
  res.on('close', done);
}

/**
 * Adapts a Fetch handler to `node:http`: `http.createServer(toNodeListener(handler))`. The socket's
 * peer becomes `remoteAddress`; a request Node cannot turn into a Fetch `Request` is answered 400
 * and a failing handler 503, so the process never crashes on a request. A client that reads nothing
 * of an answer for `stalledWriteMs` is dropped.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createHttpHandler } from '@skopos/transport-http';
 * import { toNodeListener } from '@skopos/transport-http/node';
 *
 * createServer(toNodeListener(createHttpHandler({ skopos }))).listen(4242);
 */
export function toNodeListener(
  handler: HttpHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const stalledWriteMs = options.stalledWriteMs ?? STALLED_WRITE_MS;
  if (!Number.isInteger(stalledWriteMs) || stalledWriteMs < 1) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] stalledWriteMs must be a whole number of ms ≥ 1, got ${String(stalledWriteMs)}`,
    );
  }
  return (req, res) => {
    // A client that aborts makes `req` emit 'error'; without a listener that would crash the process.
    req.on('error', ignore);
    void (async () => {
      let request: Request;
      try {
        request = toRequest(req);
      } catch {
        writeJson(res, 400, 'malformed request');
        drain(req);
        return;
      }
      try {
        const info = { remoteAddress: req.socket.remoteAddress, httpVersion: req.httpVersion };
        const response = await handler(request, info);
        const unread = !req.complete;
        await writeResponse(res, response, unread, stalledWriteMs);
        if (unread) drain(req);
      } catch {
        if (!res.headersSent) writeJson(res, 503, 'internal failure: retry later');
        else res.destroy();
        if (!req.complete) drain(req);
      }
    })();
  };
}

/**
 * The whole HTTP transport on `node:http`: the write route answered straight on Node
 * (`createNodeWriteRoute`: no Fetch `Request` per batch), every other request by
 * `createHttpHandler(options)` through `toNodeListener`. Same answers as that handler alone, cheaper
 * per event.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createNodeListener } from '@skopos/transport-http/node';
 *
 * createServer(createNodeListener({ skopos, siteId: 'my-app' })).listen(4242);
 */
export function createNodeListener(
  options: HttpHandlerOptions & NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  // One budget per client on both paths: built per path, the limits would count each on its own.
  const { rateLimit: _rateLimit, trustProxy: _trustProxy, stalledWriteMs, ...settings } = options;
  const shared = { ...settings, limits: limitsOf(options) };
  const writes = createNodeWriteRoute(shared);
  const rest = toNodeListener(createHttpHandler(shared), { stalledWriteMs });
  return (req, res) => {
    if (!writes(req, res)) rest(req, res);
  };
}
