import { type EventRecord, type JsErrorDelta, MAX_ERROR_PAGES, newId, sha256Hex } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { sqlString, sqlStringList, sqlUInt } from './sql.ts';

/**
 * js_errors keep one row per delta written, merged when read (`sum(count)`, `min(firstSeen)`,
 * `max(lastSeen)`, the first written row's session, url, message and stack, pages in first-seen
 * order). Each row's id is derived from the delta and from the batch it came in (its `writeId`,
 * which core keeps on every retry), so a retried `write(batch)` inserts the same ids and
 * ReplacingMergeTree keeps one of each: counts never add twice. `keep` = 2^53 − written makes the
 * dedup keep the first write (its place in the order).
 */
export interface JsErrorRow extends JsErrorDelta {
  id: string;
  written: number;
  keep: number;
}

/**
 * Rows for the deltas of one batch, named by its `writeId` (core sets it on every batch with JS
 * errors). A batch without one (a caller that builds its own) is named by its events, which two
 * flushes never share, or, without events, at random: a retry of it may count twice, but two
 * writes of equal deltas are never taken for one.
 */
export function jsErrorRows(
  batch: {
    readonly jsErrors: readonly JsErrorDelta[];
    readonly events: readonly EventRecord[];
    readonly writeId?: string;
  },
  written: () => number,
): JsErrorRow[] {
  const { jsErrors: deltas, events, writeId } = batch;
  const batchKey =
    writeId !== undefined
      ? sha256Hex(`writeId\u0000${writeId}`)
      : events.length > 0
        ? sha256Hex(events.map((event) => event.id).join(','))
        : newId();
  const seen = new Map<string, number>();
  return deltas.map((delta) => {
    const content = JSON.stringify([
      delta.website,
      delta.errorHash,
      delta.session,
      delta.errorMessage,
      delta.stackTrace,
      delta.url,
      delta.count,
      delta.firstSeen,
      delta.lastSeen,
      delta.pages,
    ]);
    // Two equal deltas in one batch are two sightings: the n-th copy gets its own id.
    const copy = seen.get(content) ?? 0;
    seen.set(content, copy + 1);
    const at = written();
    return {
      website: delta.website,
      errorHash: delta.errorHash,
      session: delta.session,
      errorMessage: delta.errorMessage,
      stackTrace: delta.stackTrace,
      url: delta.url,
      count: delta.count,
      firstSeen: delta.firstSeen,
      lastSeen: delta.lastSeen,
      pages: [...delta.pages],
      id: sha256Hex(`${batchKey}\u0000${copy}\u0000${content}`).slice(0, 32),
      written: at,
      keep: Number.MAX_SAFE_INTEGER - at,
    };
  });
}

/** Aliases differ from the column names: ClickHouse would substitute an alias inside its own aggregate. */
interface MergedRow {
  website: string;
  errorHash: string;
  m_session: string;
  m_message: string;
  m_stack: string;
  m_url: string;
  m_count: number;
  m_first: number;
  m_last: number;
}

/** Merged rows of `website` (every site: undefined), or the `top` seen in [since, until), ranked. */
export async function readJsErrors(
  ctx: StoreContext,
  website: string | undefined,
  range?: { since: number; until: number; top: number },
): Promise<JsErrorDelta[]> {
  const where = website === undefined ? '1' : `website = ${sqlString(website)}`;
  const having =
    range === undefined
      ? ''
      : `HAVING m_first < ${sqlUInt(range.until)} AND m_last >= ${sqlUInt(range.since)}
         ORDER BY m_count DESC, m_last DESC, errorHash LIMIT ${sqlUInt(range.top)}`;
  const rows = await ctx.http.select<MergedRow>(
    `SELECT website, errorHash, argMax(session, keep) AS m_session,
       argMax(errorMessage, keep) AS m_message, argMax(stackTrace, keep) AS m_stack,
       argMax(url, keep) AS m_url, sum(count) AS m_count, min(firstSeen) AS m_first,
       max(lastSeen) AS m_last
     FROM ${ctx.table('js_errors')} FINAL WHERE ${where}
     GROUP BY website, errorHash ${having}`,
    'SELECT js_errors',
  );
  if (rows.length === 0) return [];
  const pages = await readPages(
    ctx,
    where,
    rows.map((row) => row.errorHash),
  );
  return rows.map((row) => ({
    website: row.website,
    session: row.m_session,
    errorHash: row.errorHash,
    errorMessage: row.m_message,
    stackTrace: row.m_stack,
    url: row.m_url,
    count: Number(row.m_count),
    firstSeen: Number(row.m_first),
    lastSeen: Number(row.m_last),
    pages: pages.get(`${row.website}\u0000${row.errorHash}`) ?? [],
  }));
}

/** The first `MAX_ERROR_PAGES` distinct pages of each (website, hash), in first-written order. */
async function readPages(ctx: StoreContext, where: string, hashes: string[]): Promise<Map<string, string[]>> {
  const rows = await ctx.http.select<{ website: string; errorHash: string; page: string }>(
    `SELECT website, errorHash, page FROM (
       SELECT website, errorHash, page, min(written * 1000 + least(pos, 999)) AS ord
       FROM ${ctx.table('js_errors')} FINAL ARRAY JOIN pages AS page, arrayEnumerate(pages) AS pos
       WHERE ${where} AND errorHash IN ${sqlStringList(hashes)} AND page != ''
       GROUP BY website, errorHash, page
     ) ORDER BY website, errorHash, ord LIMIT ${MAX_ERROR_PAGES} BY website, errorHash`,
    'SELECT js_errors pages',
  );
  const pages = new Map<string, string[]>();
  for (const { website, errorHash, page } of rows) {
    const key = `${website}\u0000${errorHash}`;
    const list = pages.get(key);
    if (list === undefined) pages.set(key, [page]);
    else list.push(page);
  }
  return pages;
}
