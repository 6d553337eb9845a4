import type { VisitorRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { sqlString, sqlStringList } from './sql.ts';

/** The identify fields a write may or may not carry, with their bit in `present`. */
const FIELDS = ['userId', 'name', 'email', 'phone', 'metadata'] as const;
type Field = (typeof FIELDS)[number];

export interface VisitorRow {
  website: string;
  visitorId: string;
  id: string;
  /** Bit i set = `FIELDS[i]` was in the write ("only the fields present overwrite"). */
  present: number;
  userId: string;
  name: string;
  email: string;
  phone: string;
  /** JSON. */
  metadata: string;
  written: number;
}

export function visitorToRow(visitor: VisitorRecord, written: number): VisitorRow {
  let present = 0;
  FIELDS.forEach((field, bit) => {
    if (visitor[field] !== undefined) present |= 1 << bit;
  });
  return {
    website: visitor.website,
    visitorId: visitor.visitorId,
    id: visitor.id,
    present,
    userId: visitor.userId ?? '',
    name: visitor.name ?? '',
    email: visitor.email ?? '',
    phone: visitor.phone ?? '',
    metadata: visitor.metadata === undefined ? '' : JSON.stringify(visitor.metadata),
    written,
  };
}

type MergedRow = Pick<VisitorRecord, 'id' | 'website' | 'visitorId'> &
  Record<`m_${Field}`, string> &
  Record<`has_${Field}`, number>;

/** Per field, the latest write that carried it; `has_x` = some write did (aliases differ from columns). */
const MERGED = FIELDS.map((field, bit) => {
  const carried = `bitAnd(present, ${1 << bit}) != 0`;
  return `argMaxIf(${field}, written, ${carried}) AS m_${field}, max(${carried}) AS has_${field}`;
}).join(', ');

function visitorFromRow(row: MergedRow): VisitorRecord {
  const visitor: VisitorRecord = { id: row.id, website: row.website, visitorId: row.visitorId };
  for (const field of FIELDS) {
    if (row[`has_${field}`] !== 1) continue;
    const value = row[`m_${field}`];
    if (field === 'metadata') visitor.metadata = JSON.parse(value) as Record<string, unknown>;
    else visitor[field] = value;
  }
  return visitor;
}

/** The merged visitors of `website` (optionally only those of `visitorIds`), sorted by id. */
export async function readVisitors(
  ctx: StoreContext,
  website: string,
  visitorIds?: readonly string[],
): Promise<VisitorRecord[]> {
  const which = visitorIds === undefined ? '' : ` AND visitorId IN ${sqlStringList(visitorIds)}`;
  const rows = await ctx.http.select<MergedRow>(
    `SELECT website, visitorId, id, ${MERGED}
     FROM ${ctx.table('visitors')} WHERE website = ${sqlString(website)}${which}
     GROUP BY website, visitorId, id ORDER BY id`,
    'SELECT visitors',
  );
  return rows.map(visitorFromRow);
}
