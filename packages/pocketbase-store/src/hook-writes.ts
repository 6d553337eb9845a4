import { SkoposError, type WriteBatch } from '@skopos/core';
import type { StoreContext } from './context.ts';

/** The route `pb_hooks/skopos.pb.js` adds, and the protocol version of its request body. */
export const HOOK_ROUTE = '/api/skopos/write';
export const HOOK_PROTOCOL = 2;
/** PocketBase accepts 32 MB per request by default; a few MB keep one transaction short. */
const MAX_BODY_CHARS = 4_000_000;

type RowKey = 'visitors' | 'sessions' | 'events';
const ROW_KEYS: readonly RowKey[] = ['visitors', 'sessions', 'events'];

interface HookAnswer {
  ok?: unknown;
  protocol?: unknown;
  /** The hook applies a `writeId` once (hooks of 0.2 before it ignore the field). */
  writeIds?: unknown;
}

function render(rows: Record<RowKey, string[]>, tail: string): string {
  const parts = ROW_KEYS.map((key) => `"${key}":[${rows[key].join(',')}]`);
  return `{${parts.join(',')}${tail}}`;
}

/**
 * A batch as request bodies of at most `maxRows` rows and about 4 MB each, serialised once.
 * Visitors, sessions and events keep their order; js-error deltas (not idempotent) and discarded
 * sessions travel in the last request, so a failure before it leaves nothing to double count,
 * with the batch's `writeId` when the server keeps them (`withWriteId`), so a retry of a request
 * that committed adds nothing. Rows of sessions discarded in the same batch are not sent at all.
 */
export function hookBodies(batch: WriteBatch, maxRows: number, withWriteId = false): string[] {
  const discarded = new Set(batch.discardedSessions);
  const source: Record<RowKey, readonly { id: string; session?: string }[]> = {
    visitors: batch.visitors,
    sessions: batch.sessions.filter((s) => !discarded.has(s.id)),
    events: batch.events.filter((e) => !discarded.has(e.session)),
  };
  const bodies: string[] = [];
  let rows: Record<RowKey, string[]> = { visitors: [], sessions: [], events: [] };
  let count = 0;
  let chars = 0;
  for (const key of ROW_KEYS) {
    for (const row of source[key]) {
      const json = JSON.stringify(row);
      if (count > 0 && (count >= maxRows || chars + json.length > MAX_BODY_CHARS)) {
        bodies.push(render(rows, ''));
        rows = { visitors: [], sessions: [], events: [] };
        count = 0;
        chars = 0;
      }
      rows[key].push(json);
      count++;
      chars += json.length + 1;
    }
  }
  const writeId =
    withWriteId && batch.writeId !== undefined && batch.jsErrors.length > 0
      ? `,"writeId":${JSON.stringify(batch.writeId)}`
      : '';
  const tail = `,"jsErrors":${JSON.stringify(batch.jsErrors)},"discardedSessions":${JSON.stringify(batch.discardedSessions)}${writeId}`;
  if (count > 0 || batch.jsErrors.length > 0 || batch.discardedSessions.length > 0 || bodies.length === 0)
    bodies.push(render(rows, tail));
  return bodies;
}

/** POST one body to the hook route (one PocketBase transaction). */
export async function sendHookBody(ctx: StoreContext, body: string): Promise<void> {
  const answer = await ctx.auth.call(
    (): Promise<HookAnswer> =>
      ctx.pb.send(HOOK_ROUTE, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }),
  );
  if (answer?.ok !== true) {
    throw new SkoposError(
      'store_failed',
      `[skopos/pocketbase] ${ctx.url}${HOOK_ROUTE} answered ${JSON.stringify(answer)} instead of { ok: true }: update pb_hooks/skopos.pb.js from @skopos/pocketbase-store, or set writePath: 'batch'.`,
    );
  }
}

/** Write a whole batch through the hook route, in as few requests as the limits allow. */
export async function writeThroughHook(ctx: StoreContext, batch: WriteBatch, maxRows: number): Promise<void> {
  for (const body of hookBodies(batch, maxRows, ctx.writeLog)) await sendHookBody(ctx, body);
}

/** The hook route on a server: ours, one of another package version, or none. */
export type HookStatus = 'ready' | 'outdated' | 'missing';

/**
 * Whether the server has the Skopos hook: an empty batch answers 200 with the hook's protocol
 * version where it is installed and 404 where it is not. A hook of another version writes another
 * model (0.1's would silently drop the 0.2 fields), so it counts as unusable.
 */
export async function probeHook(ctx: StoreContext): Promise<HookStatus> {
  try {
    const answer = await ctx.auth.call(
      (): Promise<HookAnswer> =>
        ctx.pb.send(HOOK_ROUTE, {
          method: 'POST',
          body: '{}',
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    if (answer?.ok !== true || answer.protocol !== HOOK_PROTOCOL) return 'outdated';
    if (answer.writeIds !== true && ctx.writeLog) {
      ctx.logger.info(
        `The Skopos hook route at ${ctx.url}${HOOK_ROUTE} predates write ids: a JS-error write retried after its answer was lost counts twice. Copy pb_hooks/skopos.pb.js of this package into your pb_hooks/ again and restart PocketBase.`,
      );
    }
    return 'ready';
  } catch (error) {
    if ((error as { status?: unknown })?.status === 404) return 'missing';
    throw error;
  }
}
