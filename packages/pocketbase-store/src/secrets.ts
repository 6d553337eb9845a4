import type { StoreContext } from './context.ts';
import { statusOf } from './errors.ts';

async function readSecret(ctx: StoreContext, key: string): Promise<string | null> {
  try {
    const row = await ctx.auth.call(() =>
      ctx.pb.collection('skopos_secrets').getFirstListItem(ctx.pb.filter('key = {:key}', { key })),
    );
    return String(row.value);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** First writer wins: the unique index on `key` rejects the second creator, which then reads the winner's value. */
export async function ensureSecret(ctx: StoreContext, key: string, value: string): Promise<string> {
  const stored = await readSecret(ctx, key);
  if (stored !== null) return stored;
  try {
    await ctx.auth.call(() => ctx.pb.collection('skopos_secrets').create({ key, value }));
    return value;
  } catch (error) {
    const winner = statusOf(error) === 400 ? await readSecret(ctx, key) : null;
    if (winner === null) throw error;
    return winner;
  }
}
