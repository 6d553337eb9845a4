import type { ReadAccess, ReadVerdict, RequestContext, Skopos, WindowReadLimit } from '@skopos/core';
import type { RawData, WebSocket } from 'ws';
import { createConnectionIngest } from './connection-ingest.ts';
import { answerEventsQuery } from './events-query.ts';
import type { InFlightLimiter, Slot, SlotKind } from './in-flight.ts';
import { createOutgoing, type Outgoing, type StreamedFrame } from './outgoing.ts';
import { type ParsedMessage, parseClientMessage } from './parse-message.ts';
import { createPauseGate } from './pause-gate.ts';
import {
  CLOSE_POLICY_VIOLATION,
  CLOSE_TRY_AGAIN_LATER,
  type LiveEvent,
  type ServerMessage,
} from './protocol.ts';
import { answerQuery } from './query.ts';
import { busy, READ_REFUSED, UNLIMITED, writeLimited, writeRefused } from './refusals.ts';
import type { WebSocketClientLimits } from './server-options.ts';

/** What every connection shares with the server that accepted it. */
export interface ConnectionContext {
  skopos: Skopos;
  /** The write key's check; `undefined` when writing needs no key. */
  checkKey: ((presented: string) => boolean) | undefined;
  /** Whether the server has a key (`apiKey` or `readKey`): an `auth` key that opens nothing then ends the connection. */
  keyed: boolean;
  /** Per-client limits on writes and wrong keys, shared with the HTTP routes; `undefined`: none. */
  limits: WebSocketClientLimits | undefined;
  /** Who may read (core's one read policy, shared with the HTTP routes). */
  readAccess: ReadAccess;
  authTimeoutMs: number;
  /** Frames a connection may send per second before it is closed with 1013. */
  maxFramesPerSecond: number;
  /** Batch ids each connection remembers, so that a batch re-sent on it is answered, not tracked again. */
  recentBatches: number;
  /** Messages held at once, per connection and in all; a connection at a limit is paused. */
  limiter: InFlightLimiter;
  /** Whole-window `events:query` answers being written, across connections (`maxWindowReads`). */
  windowReads: WindowReadLimit;
  /** Ms a streamed answer may wait for the client to read on before the connection is dropped. */
  stalledWriteMs: number;
  publish(events: readonly LiveEvent[]): void;
  /** Sets what a connection follows live (`undefined`: nothing). */
  follow(connection: Connection, site: string | null | undefined): void;
  /** Whether any connection follows events live: when none does, a batch builds no live events. */
  hasFollowers(): boolean;
  onUnexpected(error: unknown): void;
  /** A read the store failed (answered as retryable, or a streamed answer broken off): logged. */
  onReadFailed(error: unknown): void;
}

/** The sites a connection works with, from its upgrade URL and the server's options. */
export interface ConnectionSites {
  /** Site of events that name none, and of Skopos' reads: `?site=` on the URL, else the server's `siteId`. */
  defaultSite: string | undefined;
  /** Site of vite-plugin-monitor's reads: only `?site=` on the URL (its dashboard names none). */
  urlSite: string | undefined;
  /** Whether the page that opened the connection may read (see `readOrigins`). */
  readable: boolean;
  /** What the upgrade request showed about its client, for the read policy. */
  reader: { local: boolean; hookAllows: boolean | undefined; presentedKey: string | null };
}

/** The per-socket state the server's push fan-out reads. */
export interface Connection {
  socket: WebSocket;
  /** Its writes, in order (live pushes go through it too: nothing may cut into a streamed answer). */
  outgoing: Outgoing;
  /** Whether the write limit holds the socket unread for a few seconds: the heartbeat spares it. */
  heldByServer(): boolean;
  /** `undefined` = not subscribed; `null` = every site; else one tracking id. */
  subscription: string | null | undefined;
  alive: boolean;
}

const HELD_BACK: ReadVerdict = {
  allowed: false,
  status: 401,
  reason: 'too many wrong keys from this address',
};

/** vite-plugin-monitor's `ingest` (no batch id) is never re-sent once refused: it is kept, not refused. */
function slotKind(parsed: ReturnType<typeof parseClientMessage>): SlotKind {
  if (!parsed.ok) return 'normal';
  if (parsed.message.type === 'auth') return 'essential';
  return parsed.message.type === 'ingest' && parsed.message.id === undefined ? 'kept' : 'normal';
}

function decode(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * Serves one socket. Messages are handled one after the other, so the batches of one client are
 * tracked in the order it sent them; every failure becomes an `error` message, never a throw.
 * Each message holds a slot of the server's limiter until its answer is written out.
 */
export function serveConnection(
  ctx: ConnectionContext,
  socket: WebSocket,
  request: RequestContext,
  sites: ConnectionSites,
): Connection {
  const { defaultSite } = sites;
  const outgoing = createOutgoing(socket, ctx.stalledWriteMs, ctx.onReadFailed);
  const gate = createPauseGate(socket);
  const connection: Connection = {
    socket,
    outgoing,
    heldByServer: gate.held,
    subscription: undefined,
    alive: true,
  };
  let frameWindow = 0;
  let framesInWindow = 0;
  const flow = ctx.limiter.open(gate.limiter);
  const ingest = createConnectionIngest(ctx, request, defaultSite);
  const budget = ctx.limits?.client(request) ?? UNLIMITED;
  let mayWrite = ctx.checkKey === undefined;
  // A tool's key in the upgrade headers is a key check like `auth`: held back, or counted when it
  // opens nothing (the write key only writes: it is no guess).
  const upgradeKey = sites.reader.presentedKey;
  const heldBackFor = upgradeKey === null ? 0 : budget.keyRetryAfter();
  // The upgrade's own credentials (a tool's header, a dashboard cookie through the hook, this machine).
  let readVerdict: ReadVerdict = heldBackFor > 0 ? HELD_BACK : ctx.readAccess.decide(sites.reader);
  if (upgradeKey !== null && heldBackFor === 0 && !readVerdict.allowed && readVerdict.status === 401) {
    if (!ctx.checkKey?.(upgradeKey)) budget.keyFailed();
  }
  // A reader the upgrade already vouched for needs no `auth` message; it still may not write.
  let authed = mayWrite || readVerdict.allowed;
  /** Why a read is refused, or `undefined` when it may go on. */
  const readRefusal = (): string | undefined => {
    if (!sites.readable) return READ_REFUSED;
    return readVerdict.allowed ? undefined : readVerdict.reason;
  };
  let chain: Promise<void> = Promise.resolve();
  /** A message, or a frame already serialised (answers that serialise their events while reading); `done` once written out. */
  const send = (message: ServerMessage | string | StreamedFrame, done?: () => void): void => {
    if (typeof message === 'string' || !('type' in message)) {
      outgoing.send(message, done);
      return;
    }
    // vite-plugin-monitor's clients read an error's text from `message`, Skopos' from `reason`.
    outgoing.send(
      JSON.stringify(message.type === 'error' ? { ...message, message: message.reason } : message),
      done,
    );
  };
  const refuse = (reason: string): void => {
    send({ type: 'error', reason });
    socket.close(CLOSE_POLICY_VIOLATION, reason);
  };
  /** Too many wrong keys: 1013, so that a client with the right key (behind the same address) comes back later. */
  const holdBack = (retryAfter: number): void => {
    const reason = `too many wrong keys from this address: retry in ${retryAfter} s`;
    send({ type: 'error', reason, retryable: true, retryAfter });
    socket.close(CLOSE_TRY_AGAIN_LATER, reason);
  };
  const authTimer = authed
    ? undefined
    : setTimeout(
        () => refuse('authentication timed out: send { type: "auth", key } first'),
        ctx.authTimeoutMs,
      );
  authTimer?.unref?.();
  if (heldBackFor > 0) holdBack(heldBackFor);

  async function handle(
    message: ParsedMessage,
    reply: (message: ServerMessage | string | StreamedFrame) => void,
  ): Promise<void> {
    if (message.type === 'auth') {
      // Frames queued behind a refusal are no more guesses.
      if (socket.readyState !== socket.OPEN) return;
      // Asked before the key is compared: a client held back learns nothing, not even from the right key.
      const wait = budget.keyRetryAfter();
      if (wait > 0) return holdBack(wait);
      const writeKey = ctx.checkKey?.(message.key) ?? false;
      const asReader = ctx.readAccess.decide({ ...sites.reader, presentedKey: message.key });
      // On a server with a key, a key that opens nothing ends the connection (vite-plugin-monitor's
      // contract: an error, then 1008), even where writing needs none.
      if (ctx.keyed && !writeKey && !asReader.allowed) {
        budget.keyFailed();
        return refuse('invalid API key');
      }
      if (writeKey) mayWrite = true;
      if (asReader.allowed) readVerdict = asReader;
      authed = true;
      clearTimeout(authTimer);
      return reply({ type: 'auth_ok' });
    }
    // Keep-alive pings may race the auth answer: they reveal nothing, so they need no key.
    if (message.type === 'ping') return reply({ type: 'pong' });
    if (!authed) return refuse('authentication required: send { type: "auth", key } first');
    switch (message.type) {
      case 'ingest': {
        if (!mayWrite) return reply(writeRefused(message.id));
        // A frame counts once whatever it holds, like an HTTP batch.
        const wait = budget.takeWrite();
        if (wait > 0) {
          // Skopos' client re-sends a refused batch after `retryAfter`: refused whole, nothing saved.
          if (message.id !== undefined) return reply(writeLimited(message.id, wait));
          // vite-plugin-monitor's client never reads a refusal: its frame would be lost. It is taken,
          // and this connection is read slower instead (TCP holds the client's next frames).
          gate.hold(wait * 1000);
        }
        return ingest(message.id, message.events, reply);
      }
      case 'query': {
        const reason = readRefusal();
        if (reason) return reply({ type: 'error', reqId: message.reqId, reason });
        return reply(await answerQuery(ctx.skopos, message, defaultSite, ctx.onReadFailed));
      }
      case 'events:query': {
        const reason = readRefusal();
        if (reason) return reply({ type: 'error', reqId: message.reqId, reason });
        return reply(await answerEventsQuery(ctx, message, sites.urlSite));
      }
      case 'subscribe': {
        const reason = readRefusal();
        if (reason) return reply({ type: 'error', reason });
        ctx.follow(connection, message.site ?? defaultSite ?? null);
        return;
      }
      case 'unsubscribe':
        ctx.follow(connection, undefined);
        return;
    }
  }

  /** Handles a message in its turn; its slot is given back once its answer is written out (or when it has none). */
  async function serve(message: ParsedMessage, slot: Slot): Promise<void> {
    let replied = false;
    try {
      await handle(message, (answer) => {
        replied = true;
        slot.handled();
        send(answer, slot.release);
      });
    } finally {
      if (!replied) slot.release();
    }
  }

  socket.on('message', (data) => {
    // Frames still arriving after a close (the handshake may take a while) are not served.
    if (socket.readyState !== socket.OPEN) return;
    const now = Date.now();
    // Every frame costs a parse and an answer, a ping or a query as much as a batch.
    if (now - frameWindow >= 1000) {
      frameWindow = now;
      framesInWindow = 0;
    }
    if (++framesInWindow > ctx.maxFramesPerSecond) {
      const reason = `too many messages: at most ${ctx.maxFramesPerSecond} a second`;
      send({ type: 'error', reason, retryable: true, retryAfter: 1 });
      socket.close(CLOSE_TRY_AGAIN_LATER, reason);
      return;
    }
    const parsed = parseClientMessage(decode(data));
    const slot = flow.acquire(slotKind(parsed));
    if (!parsed.ok) {
      // Answered at once, out of turn. It takes a slot like any frame, so that a flood of garbage
      // pauses the socket too; once refused it is still answered (the socket is paused by then).
      const { ok: _ok, ...error } = parsed;
      slot?.handled();
      send({ type: 'error', ...error }, slot?.release);
      return;
    }
    const message = parsed.message;
    if (slot === undefined) {
      send(busy(message));
      return;
    }
    chain = chain.then(() => serve(message, slot)).catch(ctx.onUnexpected);
  });
  socket.on('pong', () => {
    connection.alive = true;
  });
  socket.on('close', () => {
    clearTimeout(authTimer);
    gate.close();
    flow.close();
  });
  return connection;
}
