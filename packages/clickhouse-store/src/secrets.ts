import type { StoreContext } from './context.ts';
import { sqlString } from './sql.ts';

async function firstValue(ctx: StoreContext, key: string): Promise<string | undefined> {
  const [row] = await ctx.http.select<{ value: string }>(
    `SELECT value FROM ${ctx.table('secrets')} WHERE key = ${sqlString(key)} ORDER BY written, value LIMIT 1`,
    'SELECT secrets',
  );
  return row?.value;
}

/**
 * First writer wins, without compare-and-set (ClickHouse has none): a value already stored is
 * answered as is; otherwise ours is inserted and the first row by (write clock, value) is answered.
 * Two processes whose first calls overlap within one round trip may each see only their own row
 * and disagree until both rows are visible; every later call then answers the same value. Give
 * multi-process deployments a fixed `secret` in the core's options, or start one process first.
 * Calls of one store for the same key share one look-up, so they always agree.
 */
export function secretKeeper(ctx: StoreContext): (key: string, value: string) => Promise<string> {
  const pending = new Map<string, Promise<string>>();
  const ensure = async (key: string, value: string): Promise<string> => {
    const stored = await firstValue(ctx, key);
    if (stored !== undefined) return stored;
    await ctx.http.insert(ctx.table('secrets'), [{ key, value, written: ctx.written() }], [value]);
    return (await firstValue(ctx, key)) ?? value;
  };
  return (key, value) => {
    let answer = pending.get(key);
    if (answer === undefined) {
      answer = ensure(key, value).finally(() => pending.delete(key));
      pending.set(key, answer);
    }
    return answer;
  };
}
