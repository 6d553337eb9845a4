import { LruCache, type RequestContext } from '@skopos/core';
import type { ConnectionContext } from './connection.ts';
import { type IngestOutcome, ingestBatch } from './ingest.ts';
import type { ServerMessage } from './protocol.ts';

/** Tracks one `ingest` frame of a connection and answers it through `reply`. */
export type ConnectionIngest = (
  id: string | number | undefined,
  events: unknown[],
  reply: (message: ServerMessage) => void,
) => Promise<void>;

/**
 * A connection's ingest: a batch re-sent on it under an id it remembers is answered, not tracked
 * again; live followers get what was stored.
 */
export function createConnectionIngest(
  ctx: ConnectionContext,
  request: RequestContext,
  defaultSite: string | undefined,
): ConnectionIngest {
  // Scoped to this connection: another client may well use the same ids (`1`, `2`…), and events
  // re-sent after a reconnect are stored once thanks to their `eventId`, not their batch id.
  const recent = new LruCache<string, Promise<IngestOutcome['reply']>>(ctx.recentBatches);
  return async (id, events, reply) => {
    if (id === undefined) {
      // vite-plugin-monitor's client names no batch and never re-sends one: nothing to remember.
      const outcome = await ingestBatch(ctx.skopos, id, events, defaultSite, request, ctx.onUnexpected, {
        live: ctx.hasFollowers(),
      });
      reply(outcome.reply);
      if (outcome.live.length > 0) ctx.publish(outcome.live);
      return;
    }
    const key = `${typeof id}:${id}`;
    const known = recent.get(key);
    if (known) {
      // A re-sent batch (a retry while its ack was on the way): answer, do not track again.
      reply({ ...(await known), id });
      return;
    }
    const running = ingestBatch(ctx.skopos, id, events, defaultSite, request, ctx.onUnexpected, {
      live: ctx.hasFollowers(),
    });
    // Only the answer is remembered: the outcome's live events would keep whole batches in memory.
    const answer = running.then((outcome) => outcome.reply);
    answer.catch(() => recent.delete(key));
    recent.set(key, answer);
    const outcome = await running;
    if (outcome.reply.type === 'error') recent.delete(key);
    reply(outcome.reply);
    if (outcome.live.length > 0) ctx.publish(outcome.live);
  };
}
