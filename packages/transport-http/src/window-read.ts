import { type EventQuery, openReadStream } from '@skopos/core';
import { gzipStreamIfAccepted } from './compression.ts';
import type { HandlerContext } from './handler-context.ts';
import { jsonAnswer, unavailable } from './responses.ts';

const encoder = new TextEncoder();
const SLICE_BYTES = 64 * 1024;

/**
 * Time a whole-window read may take producing its answer: past it no store page is read and the
 * answer ends with `nextCursor` (its `total` still counts every event). A place among
 * `maxWindowReads` is never held longer by a read that goes on and on.
 */
export const WINDOW_READ_MS = 30_000;

/**
 * A read without `limit`: the whole window (up to core's `MAX_WINDOW_EVENTS`, within
 * `WINDOW_READ_MS`), streamed as the client takes it, a store page at a time, so memory stays at a
 * few MB whatever the window holds.
 * Once the first byte is out the status cannot change: a store failing later breaks the answer
 * off, and the client sees a failed read rather than a short one. Taking `limit` places among
 * `maxWindowReads`; one more is answered 503 and never reaches the store.
 */
export async function handleWindowRead(
  ctx: HandlerContext,
  request: Request,
  query: EventQuery,
  tail: string,
  trackingId: string | undefined,
): Promise<Response> {
  const release = ctx.windowReads.take();
  if (!release) return unavailable('too many whole-window reads at once: retry later');
  let pieces: AsyncIterator<Uint8Array>;
  try {
    const options = { trackingId, deadline: Date.now() + WINDOW_READ_MS };
    pieces = (await openReadStream((q) => ctx.skopos.query(q), query, options)).pieces[
      Symbol.asyncIterator
    ]();
  } catch (error) {
    release();
    throw error;
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('{'));
    },
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) {
          controller.enqueue(encoder.encode(`${tail}}`));
          controller.close();
          release();
          return;
        }
        // Slices of 64 KB: the stalled-write deadline then measures bytes moving, not a whole piece.
        const bytes = next.value;
        for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
          controller.enqueue(bytes.subarray(at, at + SLICE_BYTES));
        }
      } catch (error) {
        release();
        ctx.logger.error('reading from the store failed in the middle of a whole-window read', {
          error: String(error),
        });
        controller.error(error);
      }
    },
    async cancel() {
      release();
      await pieces.return?.();
    },
  });
  const answer = jsonAnswer(200, '');
  return gzipStreamIfAccepted(request, new Response(body, { status: 200, headers: answer.headers }));
}
