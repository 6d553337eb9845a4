import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyLeaseOf, limitsOf } from './client-limits.ts';
import { compileCors } from './cors.ts';
import { resolveContext } from './handler-context.ts';
import { type NodeHeaders, nodeHeaders, readNodeBody, sendAnswer } from './node-request.ts';
import type { HttpHandlerOptions } from './options.ts';
import { bodyRefusal, declaresTooMuch, readBodyBytes, tooLarge } from './read-body.ts';
import { type Answer, unavailableAnswer, withCorsHeaders } from './responses.ts';
import { createRouteMatcher } from './routes.ts';
import { createWriteGate } from './write-gate.ts';
import { contentTypeRefusal, ingestBody } from './write-route.ts';

/** Answers a Node request itself and says `true`, or says `false` and leaves it to the caller. */
export type NodeWriteRoute<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
) => boolean;

/**
 * How a framework that already handled part of the request hands it over (see `@skopos/express`);
 * without it the client is the socket peer with every header, and the body is read from `req`.
 */
export interface NodeWriteSource<Req extends IncomingMessage = IncomingMessage> {
  /**
   * The client as the framework resolved it: its address, and the headers the pipeline may read
   * (e.g. without the forwarding headers the framework already applied).
   */
  client?(req: Req, headers: NodeHeaders): { remoteAddress: string | undefined; headers: NodeHeaders };
  /**
   * The body's bytes when the framework's parser already read the stream, else `undefined`. Called
   * at once for a write, before the route answers: a throw goes to the caller (Express: its error
   * handler), as a body that cannot be handed over is no reason for a client to retry.
   */
  parsedBody?(req: Req): Uint8Array | undefined;
}

const ignore = (): void => {};

/**
 * A path the Fetch path could read otherwise once it is a URL (`%`-escapes, `\`, dot segments):
 * such a request is left to it, so that both paths agree on which route a request is.
 */
const NOT_PLAIN_PATH = /[%\\]|\/\.\.?(?:\/|$)/;

/** The query string of `POST {base}/events[?…]`, or `null` when the target is not that route. */
function writeQuery(target: string | undefined, isWrite: (path: string) => boolean): string | null {
  if (target === undefined || target.charCodeAt(0) !== 47 /* / */) return null;
  const query = target.indexOf('?');
  const fragment = target.indexOf('#');
  const pathEnd = Math.min(query === -1 ? target.length : query, fragment === -1 ? target.length : fragment);
  const path = target.slice(0, pathEnd);
  if (!isWrite(path) || NOT_PLAIN_PATH.test(path)) return null;
  if (query === -1 || query > pathEnd) return '';
  return target.slice(query + 1, fragment === -1 ? target.length : fragment);
}

/** `?name=` of a query string as `URL.searchParams` reads it. */
function queryParam(query: string, name: string): string | null {
  return query === '' ? null : new URLSearchParams(query).get(name);
}

/**
 * The write route (`POST {base}/events`) straight on `node:http`, for servers where ingest is the
 * hot path: the body is read into one buffer and parsed once, headers are read from the raw list
 * without a Fetch `Headers`, and no `Request`/`Response` is made. Every answer — status, body, CORS,
 * rate limit, write key, 413/415 — is the one `createHttpHandler` gives, from the same functions;
 * any other request is left to the caller (`false`), e.g. for `toNodeListener(createHttpHandler(…))`.
 * Give it the options of that handler, with the same `limits` object (`createClientLimits`), or
 * each path would count a client's writes on its own. `createNodeListener` puts both together.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createNodeWriteRoute } from '@skopos/transport-http/node';
 *
 * const writes = createNodeWriteRoute({ skopos, siteId: 'my-app' });
 * createServer((req, res) => writes(req, res) || myOtherRoutes(req, res)).listen(4242);
 */
export function createNodeWriteRoute<Req extends IncomingMessage = IncomingMessage>(
  options: HttpHandlerOptions,
  source: NodeWriteSource<Req> = {},
): NodeWriteRoute<Req> {
  const ctx = resolveContext(options);
  const match = createRouteMatcher(options.basePath ?? '/_tracker');
  const isWrite = (path: string): boolean => match(path) === 'write';
  const cors = compileCors(options.cors);
  const limits = limitsOf(options);
  const gate = createWriteGate(options);

  /** The answer to a write, before CORS: the gate, then the body's type and size, then the events. */
  async function answer(
    req: Req,
    raw: NodeHeaders,
    query: string,
    parsed: Uint8Array | undefined,
  ): Promise<Answer> {
    const client = source.client?.(req, raw) ?? { headers: raw, remoteAddress: req.socket.remoteAddress };
    const { headers } = client;
    const budget = limits.client(client);
    const refused =
      gate({
        post: true,
        headers,
        client: budget,
        queryKey: () => queryParam(query, 'key'),
        host: headers.host,
      }) ?? contentTypeRefusal(headers['content-type']);
    if (refused) return refused;
    const length = headers['content-length'];
    // A parsed body's bytes are what is left: the request's framing describes bytes that are gone.
    const body =
      parsed !== undefined
        ? readBodyBytes(parsed, ctx.maxBodyBytes, bodyLeaseOf(budget))
        : declaresTooMuch(length, ctx.maxBodyBytes)
          ? tooLarge(ctx.maxBodyBytes)
          : await readNodeBody(req, length, ctx.maxBodyBytes, bodyLeaseOf(budget));
    if (!body.ok) return bodyRefusal(body);
    try {
      return await ingestBody(ctx, body.bytes, queryParam(query, 'site'), client);
    } finally {
      body.lease.release();
    }
  }

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const query = writeQuery(req.url, isWrite);
    if (query === null) return false;
    const parsed = source.parsedBody?.(req);
    // A client that aborts makes `req` emit 'error'; without a listener that would crash the process.
    req.on('error', ignore);
    const headers = nodeHeaders(req.rawHeaders);
    answer(req, headers, query, parsed)
      .catch((error: unknown) => {
        ctx.logger.error('unexpected failure in the HTTP handler', { error: String(error) });
        return unavailableAnswer('internal failure: retry later');
      })
      .then((reply) => {
        withCorsHeaders(reply.headers, cors.headersFor(headers.origin ?? null, 'write'));
        sendAnswer(req, res, reply);
      })
      .catch(() => res.destroy());
    return true;
  };
}
