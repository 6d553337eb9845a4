import type { CommitResult, SharedSession, VersionedSession } from '@skopos/core';

/**
 * A session is stored as one string, `<version>|<isNewVisitor 0|1>|<JSON of the rest>`:
 * - one string, not a hash: a hash with a field over 64 bytes leaves Redis' compact listpack
 *   encoding, and measured ~300 bytes more per session;
 * - `row.isNewVisitor` in the header, so the commit script can clear it (a visitor claimed by another
 *   process is not new) without decoding JSON in Lua (whose cjson rounds numbers to 14 digits);
 * - JSON objects, not positional arrays, so processes of two Skopos versions (a rolling deploy) can
 *   share sessions whatever fields either one added.
 */
export interface EncodedSession {
  json: string;
  isNewVisitor: '0' | '1';
}

export function encodeSession(session: SharedSession): EncodedSession {
  const { isNewVisitor, ...row } = session.row;
  return { json: JSON.stringify({ ...session, row }), isNewVisitor: isNewVisitor ? '1' : '0' };
}

/** Thrown by `decode*` when Redis holds something this package did not write; the store wraps it. */
export class CorruptSessionError extends Error {
  override readonly name = 'CorruptSessionError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const HEADER = /^(\d+)\|([01])\|/;

/** A stored session string (as `GET` answers it), or `null` when there is none. */
export function decodeStored(stored: unknown): VersionedSession | null {
  if (stored === null || stored === undefined) return null;
  const header = typeof stored === 'string' ? HEADER.exec(stored) : null;
  const version = Number(header?.[1]);
  if (header === null || !Number.isSafeInteger(version) || version < 1) {
    throw new CorruptSessionError(`no session header in ${JSON.stringify(String(stored).slice(0, 40))}`);
  }
  let session: unknown;
  try {
    session = JSON.parse((stored as string).slice(header[0].length));
  } catch {
    throw new CorruptSessionError('the session data is not JSON');
  }
  if (!isRecord(session) || !isRecord(session.row)) throw new CorruptSessionError('no session row');
  const row = { ...session.row, isNewVisitor: header[2] === '1' };
  return { version, session: { ...session, row } as unknown as SharedSession };
}

/** The commit script's reply (see `commit-script.ts`) as a `CommitResult`. */
export function decodeCommitReply(reply: unknown): CommitResult {
  if (!Array.isArray(reply)) throw new CorruptSessionError(`unexpected script reply ${String(reply)}`);
  const [status, first, second] = reply as unknown[];
  switch (status) {
    case 'committed':
      return { status, version: Number(first), isNewVisitor: Number(second) === 1 };
    case 'duplicate':
      return { status, sessionId: String(first) };
    case 'conflict':
      return { status, current: decodeStored(first) };
    default:
      throw new CorruptSessionError(`unexpected script reply status ${String(status)}`);
  }
}
