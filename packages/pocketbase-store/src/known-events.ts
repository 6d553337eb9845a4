import { anyOf, filterChunks } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/**
 * Which of `ids` the `events` collection holds for `website`, with their sessions. Each request asks
 * for up to 50 ids by primary key (the filter stays under PocketBase's 3500-character limit) and
 * reads back only `id` and `session`; the requests of one call run together, so a call of a few
 * hundred ids costs about one round trip.
 */
export async function knownEvents(
  ctx: StoreContext,
  website: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  const parts = filterChunks([...new Set(ids)]);
  const pages = await Promise.all(
    parts.map((part) => {
      const filter = `${ctx.pb.filter('website = {:website}', { website })} && (${anyOf(ctx.pb, 'id', part)})`;
      return ctx.auth.call(() =>
        ctx.pb
          .collection('events')
          .getList(1, part.length, { filter, fields: 'id,session', skipTotal: true }),
      );
    }),
  );
  for (const page of pages) for (const row of page.items) known.set(String(row.id), String(row.session));
  return known;
}
