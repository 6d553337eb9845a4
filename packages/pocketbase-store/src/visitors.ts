import type { VisitorRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { statusOf } from './errors.ts';
import { visitorFromRow } from './record-mapping.ts';

/** The stored visitor of (website, visitorId), for `isNewVisitor` across restarts. */
export async function getVisitor(
  ctx: StoreContext,
  website: string,
  visitorId: string,
): Promise<VisitorRecord | null> {
  try {
    const row = await ctx.auth.call(() =>
      ctx.pb
        .collection('visitors')
        .getFirstListItem(
          ctx.pb.filter('website = {:website} && visitorId = {:visitorId}', { website, visitorId }),
        ),
    );
    return visitorFromRow(row);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
