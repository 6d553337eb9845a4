import type { JsErrorDelta } from '@skopos/core';
import { existingIds } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/**
 * JS-error `deltas` whose `session` row no longer exists, without it; `null` when every session
 * named exists (the failure was about something else). On the original Skopos SDK's schema
 * `js_errors.session` is a relation, checked by PocketBase: a session deleted before the error's
 * first write (a short session discarded, a row refused for its data, one deleted by hand) would
 * have every write of that error refused for good, and with it every later JS-error write. The
 * session is where the error was first seen, not what it is: the error is written without one.
 */
export async function deltasWithoutGoneSessions(
  ctx: StoreContext,
  deltas: readonly JsErrorDelta[],
): Promise<JsErrorDelta[] | null> {
  const named = [...new Set(deltas.flatMap((delta) => (delta.session ? [delta.session] : [])))];
  const found = await ctx.auth.call(() => existingIds(ctx, 'sessions', named));
  const gone = new Set(named.filter((id) => !found.has(id)));
  if (gone.size === 0) return null;
  ctx.logger.debug(
    `${gone.size} session(s) of JS errors waiting to be written no longer exist: the errors are written without them`,
  );
  return deltas.map((delta) => (gone.has(delta.session) ? { ...delta, session: '' } : delta));
}
