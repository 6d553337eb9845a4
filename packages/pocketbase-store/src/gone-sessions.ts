import type { JsErrorDelta } from '@skopos/core';
import { existingIds } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/**
 * How long a JS error may wait for its session row before that session is taken as gone: a session
 * row can still be on its way (event writes wait for `batchInterval`, or back off while JS-error
 * writes go on), and a short session is discarded only once it expired (30 minutes by default).
 */
export const SESSION_GRACE_MS = 30 * 60_000;

/**
 * JS-error `deltas` whose `session` row no longer exists, without it; `null` when none of them
 * qualifies (the failure was about something else, or the sessions may still be written). On the
 * original Skopos SDK's schema `js_errors.session` is a relation, checked by PocketBase: a session
 * deleted before the error's first write (a short session discarded, a row refused for its data,
 * one deleted by hand) would have every write of that error refused for good, and with it every
 * later JS-error write. The session is where the error was first seen, not what it is: an error
 * first seen over `SESSION_GRACE_MS` ago is written without it; a younger one waits (refused, and
 * tried again), since its session row may be on its way.
 */
export async function deltasWithoutGoneSessions(
  ctx: StoreContext,
  deltas: readonly JsErrorDelta[],
  now = Date.now(),
): Promise<JsErrorDelta[] | null> {
  const old = (delta: JsErrorDelta) => delta.session !== '' && delta.firstSeen < now - SESSION_GRACE_MS;
  const named = [...new Set(deltas.filter(old).map((delta) => delta.session))];
  if (named.length === 0) return null;
  const found = await ctx.auth.call(() => existingIds(ctx, 'sessions', named));
  const gone = new Set(named.filter((id) => !found.has(id)));
  if (gone.size === 0) return null;
  ctx.logger.debug(
    `${gone.size} session(s) of JS errors waiting to be written no longer exist: the errors are written without them`,
  );
  return deltas.map((delta) => (old(delta) && gone.has(delta.session) ? { ...delta, session: '' } : delta));
}
