import { SkoposError } from '@skopos/core';

/** Where a page ended: the last event's time and id (the sort key), and the order it was read in. */
export interface CursorPosition {
  timestamp: number;
  id: string;
  order: 'asc' | 'desc';
}

/** base64url of UTF-8 without Node's Buffer (the build is platform-neutral). */
function toBase64Url(text: string): string {
  const binary = Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(cursor: string): string {
  const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(
    Uint8Array.from(binary, (char) => char.charCodeAt(0)),
  );
}

/** An opaque, URL-safe cursor. */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(JSON.stringify([position.timestamp, position.id, position.order]));
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(fromBase64Url(cursor));
    if (Array.isArray(value) && value.length === 3) {
      const [timestamp, id, order] = value as unknown[];
      if (
        typeof timestamp === 'number' &&
        Number.isSafeInteger(timestamp) &&
        timestamp >= 0 &&
        typeof id === 'string' &&
        (order === 'asc' || order === 'desc')
      ) {
        return { timestamp, id, order };
      }
    }
  } catch {
    // Reported below, as any other malformed cursor.
  }
  throw new SkoposError(
    'invalid_options',
    '[skopos/clickhouse] query: the cursor is not one this store gave out (pass a nextCursor unchanged)',
  );
}
