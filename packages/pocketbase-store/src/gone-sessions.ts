import type { JsErrorDelta } from '@skopos/core';
import { existingIds } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/**
 * How long, by this process's clock, a JS error may wait for its session row before that session
 * is taken as gone: a session row can still be on its way (event writes wait for `batchInterval`,
 * or back off while JS-error writes go on). The error's own times come from the browser's clock
 * (hours off, or replayed from an offline buffer), so they do not tell.
 */
export const SESSION_GRACE_MS = 5 * 60_000;

/** Sessions found missing, with when they were first found so, per store: bounded. */
const missingSince = new WeakMap<StoreContext, Map<string, number>>();
const MAX_MISSING = 10_000;

function missingOf(ctx: StoreContext): Map<string, number> {
  let map = missingSince.get(ctx);
  if (map === undefined) {
    map = new Map();
    missingSince.set(ctx, map);
  }
  return map;
}

/**
 * JS-error `deltas` whose `session` row no longer exists, without it; `null` when none of them
 * qualifies (the failure was about something else, or the sessions may still be written). On the
 * original Skopos SDK's schema `js_errors.session` is a relation, checked by PocketBase: a session
 * deleted before the error's first write (a short session discarded, a row refused for its data,
 * one deleted by hand) would have every write of that error refused for good, and with it every
 * later JS-error write. The session is where the error was first seen, not what it is: once its
 * row has been missing for `SESSION_GRACE_MS`, the error is written without it; until then it
 * waits (refused, and tried again), since the row may be on its way.
 */
export async function deltasWithoutGoneSessions(
  ctx: StoreContext,
  deltas: readonly JsErrorDelta[],
  now = Date.now(),
): Promise<JsErrorDelta[] | null> {
  const named = [...new Set(deltas.flatMap((delta) => (delta.session ? [delta.session] : [])))];
  const found = await ctx.auth.call(() => existingIds(ctx, 'sessions', named));
  const missing = missingOf(ctx);
  const gone = new Set<string>();
  for (const id of named) {
    if (found.has(id)) {
      missing.delete(id);
      continue;
    }
    const since = missing.get(id);
    if (since === undefined) {
      if (missing.size >= MAX_MISSING) missing.clear();
      missing.set(id, now);
    } else if (now - since >= SESSION_GRACE_MS) gone.add(id);
  }
  if (gone.size === 0) return null;
  // Gone ids stay in `missing` (until found again, or the bound): the same session in the next
  // chunk, or in this write retried after an outage, is gone at once, not after another grace.
  ctx.logger.debug(
    `${gone.size} session(s) of JS errors waiting to be written have been gone for ${SESSION_GRACE_MS / 60_000} minutes: the errors are written without them`,
  );
  return deltas.map((delta) => (gone.has(delta.session) ? { ...delta, session: '' } : delta));
}
