import type { LruCache, RequestContext, Skopos } from '@skopos/core';
import type { RawData, WebSocket } from 'ws';
import { answerEventsQuery } from './events-query.ts';
import { type IngestOutcome, ingestBatch } from './ingest.ts';
import { type ParsedMessage, parseClientMessage } from './parse-message.ts';
import { CLOSE_POLICY_VIOLATION, type LiveEvent, type ServerMessage } from './protocol.ts';
import { answerQuery } from './query.ts';

/** What every connection shares with the server that accepted it. */
export interface ConnectionContext {
  skopos: Skopos;
  checkKey: ((presented: string) => boolean) | undefined;
  authTimeoutMs: number;
  /** Batch id (scoped by site) → the outcome of its first delivery, in flight or done. */
  recent: LruCache<string, Promise<IngestOutcome>>;
  publish(events: readonly LiveEvent[]): void;
  onUnexpected(error: unknown): void;
}

/** The sites a connection works with, from its upgrade URL and the server's options. */
export interface ConnectionSites {
  /** Site of events that name none, and of Skopos' reads: `?site=` on the URL, else the server's `siteId`. */
  defaultSite: string | undefined;
  /** Site of vite-plugin-monitor's reads: only `?site=` on the URL (its dashboard names none). */
  urlSite: string | undefined;
}

/** The per-socket state the server's push fan-out reads. */
export interface Connection {
  socket: WebSocket;
  /** `undefined` = not subscribed; `null` = every site; else one tracking id. */
  subscription: string | null | undefined;
  alive: boolean;
}

function decode(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * Serves one socket. Messages are handled one after the other, so the batches of one client are
 * tracked in the order it sent them; every failure becomes an `error` message, never a throw.
 */
export function serveConnection(
  ctx: ConnectionContext,
  socket: WebSocket,
  request: RequestContext,
  sites: ConnectionSites,
): Connection {
  const { defaultSite } = sites;
  const connection: Connection = { socket, subscription: undefined, alive: true };
  let authed = ctx.checkKey === undefined;
  let chain: Promise<void> = Promise.resolve();
  /** A message, or a frame already serialised (answers that serialise their events while reading). */
  const send = (message: ServerMessage | string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (typeof message === 'string') {
      socket.send(message);
      return;
    }
    // vite-plugin-monitor's clients read an error's text from `message`, Skopos' from `reason`.
    const frame = message.type === 'error' ? { ...message, message: message.reason } : message;
    socket.send(JSON.stringify(frame));
  };
  const refuse = (reason: string): void => {
    send({ type: 'error', reason });
    socket.close(CLOSE_POLICY_VIOLATION, reason);
  };
  const authTimer = authed
    ? undefined
    : setTimeout(
        () => refuse('authentication timed out: send { type: "auth", key } first'),
        ctx.authTimeoutMs,
      );
  authTimer?.unref?.();

  async function ingest(id: string | number | undefined, events: unknown[]): Promise<void> {
    if (id === undefined) {
      // vite-plugin-monitor's client names no batch and never re-sends one: nothing to remember.
      const outcome = await ingestBatch(ctx.skopos, id, events, defaultSite, request, ctx.onUnexpected);
      send(outcome.reply);
      if (outcome.live.length > 0) ctx.publish(outcome.live);
      return;
    }
    const key = `${defaultSite ?? ''}\u0000${typeof id}:${id}`;
    const known = ctx.recent.get(key);
    if (known) {
      // A re-sent batch (its ack was lost with the previous connection): answer, do not track again.
      send({ ...(await known).reply, id });
      return;
    }
    const running = ingestBatch(ctx.skopos, id, events, defaultSite, request, ctx.onUnexpected);
    ctx.recent.set(key, running);
    const outcome = await running;
    if (outcome.reply.type === 'error') ctx.recent.delete(key);
    send(outcome.reply);
    if (outcome.live.length > 0) ctx.publish(outcome.live);
  }

  async function handle(message: ParsedMessage): Promise<void> {
    if (message.type === 'auth') {
      if (ctx.checkKey && !ctx.checkKey(message.key)) return refuse('invalid API key');
      authed = true;
      clearTimeout(authTimer);
      return send({ type: 'auth_ok' });
    }
    // Keep-alive pings may race the auth answer: they reveal nothing, so they need no key.
    if (message.type === 'ping') return send({ type: 'pong' });
    if (!authed) return refuse('authentication required: send { type: "auth", key } first');
    switch (message.type) {
      case 'ingest':
        return ingest(message.id, message.events);
      case 'query':
        return send(await answerQuery(ctx.skopos, message, defaultSite, ctx.onUnexpected));
      case 'events:query':
        return send(await answerEventsQuery(ctx.skopos, message, sites.urlSite, ctx.onUnexpected));
      case 'subscribe':
        connection.subscription = message.site ?? defaultSite ?? null;
        return;
      case 'unsubscribe':
        connection.subscription = undefined;
        return;
    }
  }

  socket.on('message', (data) => {
    const parsed = parseClientMessage(decode(data));
    if (!parsed.ok) {
      const { ok: _ok, ...error } = parsed;
      send({ type: 'error', ...error });
      return;
    }
    chain = chain.then(() => handle(parsed.message)).catch(ctx.onUnexpected);
  });
  socket.on('pong', () => {
    connection.alive = true;
  });
  socket.on('close', () => clearTimeout(authTimer));
  return connection;
}
