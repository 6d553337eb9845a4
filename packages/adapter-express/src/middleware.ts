import type { ServerResponse } from 'node:http';
import { createLogger, createProxyHint, isLocalClient } from '@skopos/core';
import {
  createClientLimits,
  createHttpHandler,
  createRouteMatcher,
  type HttpHandlerOptions,
  type RequestInfo,
} from '@skopos/transport-http';
import { createNodeWriteRoute, toNodeListener } from '@skopos/transport-http/node';
import { bodyWasConsumed, bytesOfParsedBody } from './consumed-body.ts';
import { expressClientIp, FORWARDING_HEADERS, withoutForwarding } from './request-context.ts';
import type { ExpressRequestLike, NextLike } from './types.ts';

/**
 * `skoposExpress` takes the options of `createHttpHandler` from `@skopos/transport-http`, with
 * `authorizeRead` given the Express request (your session, your user).
 */
export type SkoposExpressOptions = Omit<HttpHandlerOptions, 'authorizeRead'> & ExpressReadHook;

interface ExpressReadHook {
  /**
   * Your own read check: `true` lets a read or stats request through when it carries no read key.
   * Declared as a method so that a hook typed with your app's `express.Request` fits.
   *
   * @example
   * authorizeRead: (req: express.Request) => req.session?.user?.role === 'admin'
   */
  authorizeRead?(req: ExpressRequestLike): boolean | Promise<boolean>;
}

/** An Express middleware (`app.use(...)`, `router.use(...)`). */
export type SkoposExpressMiddleware = (req: ExpressRequestLike, res: ServerResponse, next: NextLike) => void;

/**
 * The request the transport sees: forwarding headers removed (Express already resolved them into
 * `req.ip`), and the body re-encoded from `req.body` when a parser consumed the stream.
 */
function rewrite(request: Request, parsedBody: Uint8Array<ArrayBuffer> | undefined): Request {
  const headers = new Headers(request.headers);
  for (const name of FORWARDING_HEADERS) headers.delete(name);
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers };
  if (parsedBody === undefined) {
    init.body = request.body;
    init.duplex = 'half';
  } else {
    // The original framing describes bytes that are gone.
    for (const name of ['content-length', 'content-encoding', 'transfer-encoding']) headers.delete(name);
    init.body = parsedBody;
  }
  return new Request(request.url, init);
}

/** `req.body` as bytes when a parser already read the stream (see `bytesOfParsedBody`), else `undefined`. */
function parsedBodyOf(req: ExpressRequestLike): Uint8Array<ArrayBuffer> | undefined {
  return bodyWasConsumed(req) ? bytesOfParsedBody(req.body) : undefined;
}

/**
 * Whether the app's `trust proxy` trusts the socket peer: Express's compiled setting when the app
 * is at hand, else whether `req.ip` came from the forwarding headers (it differs from the peer).
 */
function peerTrusted(req: ExpressRequestLike, peer: string): boolean {
  const trust = (req as { app?: { get?: (name: string) => unknown } }).app?.get?.('trust proxy fn');
  if (typeof trust === 'function') return trust(peer, 0) === true;
  return expressClientIp(req) !== peer;
}

/**
 * Mounts the tracker's routes on an Express app or router: `POST {base}/events`, `GET {base}`,
 * `GET {base}/stats`, `GET {base}/ping` (see `@skopos/transport-http`); other requests go to
 * `next()`. The client IP is `req.ip`, so the app's `trust proxy` setting decides whether
 * `X-Forwarded-For` counts. Mount it before or after `express.json()`: both work.
 *
 * @example
 * import express from 'express';
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 * import { skoposExpress } from '@skopos/express';
 *
 * const skopos = createSkopos({ store: memoryStore({ websites: [{ trackingId: 'my-app', domain: 'example.com' }] }) });
 * const app = express();
 * app.set('trust proxy', 'loopback'); // only behind a proxy on the same machine
 * app.use(skoposExpress({ skopos, siteId: 'my-app' })); // POST /_tracker/events, GET /_tracker…
 * app.listen(3000);
 */
export function skoposExpress(options: SkoposExpressOptions): SkoposExpressMiddleware {
  const { authorizeRead, ...given } = options;
  // One budget per client for both paths below (built per path, each would count a client alone).
  // Given `limits` are passed on as they are, with any `rateLimit`, for the handler to refuse both.
  const { rateLimit, trustProxy, ...settings } = given;
  const httpOptions: HttpHandlerOptions =
    given.limits !== undefined
      ? given
      : { ...settings, limits: createClientLimits({ rateLimit, trustProxy }) };
  const logger = options.logger ?? createLogger({ prefix: '[skopos/express]' });
  // Express resolves the client (`trust proxy`) and the forwarding headers are removed below, so
  // the pipeline cannot see an untrusted proxy on this machine: told here, once.
  const proxyHint = createProxyHint((message) => logger.warn(message), "app.set('trust proxy', 'loopback')");
  // Writes, the hot path, straight on Node (no Fetch `Request` per batch), with the same answers.
  const writes = createNodeWriteRoute<ExpressRequestLike>(httpOptions, {
    client: (req, headers) => {
      proxyHint(headers, req.socket?.remoteAddress, (peer) => peerTrusted(req, peer));
      return { remoteAddress: expressClientIp(req), headers: withoutForwarding(headers) };
    },
    // A body that cannot be encoded again (a cycle another middleware left) throws to Express (500).
    parsedBody: parsedBodyOf,
  });
  const handler = createHttpHandler({
    ...httpOptions,
    ...(authorizeRead
      ? {
          authorizeRead: (_request: Request, info: RequestInfo) =>
            authorizeRead(info.native as ExpressRequestLike),
        }
      : {}),
  });
  const match = createRouteMatcher(options.basePath ?? '/_tracker');
  return (req, res, next) => {
    if (writes(req, res)) return;
    // `req.url` is relative to where the middleware is mounted, like the routes of an Express router.
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (match(pathname) === null) {
      next();
      return;
    }
    const parsedBody = parsedBodyOf(req);
    const remoteAddress = expressClientIp(req);
    // Decided here, before the forwarding headers are removed: a forwarded request is never local.
    const local = isLocalClient({
      peer: req.socket?.remoteAddress,
      headers: req.headers,
      httpVersion: req.httpVersion,
    });
    const info: RequestInfo = { remoteAddress, local, native: req };
    toNodeListener((request) => handler(rewrite(request, parsedBody), info))(req, res);
  };
}
