import type { Logger } from '../logger.ts';
import { setBackgroundInterval } from '../queue/timers.ts';
import type { Skopos } from './types.ts';

/** A request's `waitUntil`: the runtime goes on with `work` after the response is sent. */
export type WaitUntil = (work: Promise<unknown>) => void;

/**
 * Writes everything the pipeline holds — events, sessions, visitors and the merged JS-error counts —
 * and resolves once it is stored; never rejects (a failed write keeps its data queued, the queue
 * logs it, and the next flush retries). What a serverless adapter hands to a request's `waitUntil`
 * (through `finishInWaitUntil`): an isolate drops the timers a request set once that request ends, so
 * neither the event queue's timer nor the JS errors' (minutes apart, to merge repeats) would fire.
 *
 * @example
 * // A Cloudflare Worker around the Fetch handler of @skopos/transport-http
 * export default {
 *   fetch(request, env, ctx) {
 *     const answer = handler(request);
 *     finishInWaitUntil((work) => ctx.waitUntil(work), answer, skopos, console); // then flushForRequest
 *     return keptAlive(answer);
 *   },
 * };
 */
export async function flushForRequest(skopos: Pick<Skopos, 'flush' | 'flushJsErrors'>): Promise<void> {
  await Promise.all([skopos.flush().catch(() => undefined), skopos.flushJsErrors().catch(() => undefined)]);
}

const KEEP_ALIVE_MS = 5_000;

/**
 * `work`, with a timer of the current request pending until it settles. Cloudflare's runtime
 * (workerd) cancels a request as hung ("your Worker's code had hung") when nothing of its own is
 * pending, even while it awaits work that another request started and is still doing: the pipeline
 * shares a site's load, a visitor's new session, a batch of stored-event look-ups and a store's login
 * among the requests that need them at once. The timer tells workerd the request may still be woken.
 * Wrap what a Worker's request awaits from the pipeline, and what it hands to `waitUntil`.
 */
export function keptAlive<T>(work: Promise<T>): Promise<T> {
  // Unref'd where the runtime has it (Node, Bun): it must not hold a server's process open.
  const timer = setBackgroundInterval(() => undefined, KEEP_ALIVE_MS);
  return work.finally(() => clearInterval(timer));
}

/**
 * What a serverless adapter does with each request it serves: hands `work` (the request's own
 * pipeline call, which other requests may be waiting on), then `flushForRequest`, to the request's
 * `waitUntil`, kept alive, so that neither a visitor hanging up nor the end of the response cuts it
 * short. A runtime that refuses the work is logged at debug: a later request's flush writes what is
 * queued.
 */
export function finishInWaitUntil(
  waitUntil: WaitUntil,
  work: Promise<unknown>,
  skopos: Pick<Skopos, 'flush' | 'flushJsErrors'>,
  logger: Logger,
): void {
  const flush = (): Promise<void> => flushForRequest(skopos);
  try {
    waitUntil(keptAlive(work.then(flush, flush)));
  } catch (error) {
    logger.debug('waitUntil refused the work', { error: String(error) });
  }
}
