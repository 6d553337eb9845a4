import { LIMITS } from './limits.ts';
import type { ValidationIssue } from './payload-types.ts';
import { utf8Length } from './text.ts';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; issues: ValidationIssue[] };

const decoder = new TextDecoder('utf-8', { fatal: true });

function reject(status: 400 | 413, reason: string): BodyResult {
  return { ok: false, status, issues: [{ field: 'body', reason }] };
}

/** Whether a parsed body is a `{ "events": [...] }` batch (checked in detail by `validateBatch`). */
function isBatch(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { events?: unknown }).events);
}

/**
 * Parses a write request body, `application/json` or `text/plain` (sendBeacon, no CORS
 * preflight) alike: `413` above `LIMITS.batchBodyMaxBytes` UTF-8 bytes, and above
 * `LIMITS.bodyMaxBytes` for anything but a `{ "events": [...] }` batch (one event: the original
 * Skopos SDK's limit); `400` for bad UTF-8 or bad JSON. The parsed value is untrusted: pass it to
 * `validateBatch`. Never throws.
 *
 * @example
 * const body = parseBody(await request.text());
 * if (!body.ok) return Response.json({ issues: body.issues }, { status: body.status });
 */
export function parseBody(body: string | Uint8Array): BodyResult {
  const max = LIMITS.batchBodyMaxBytes;
  let bytes: number;
  let text: string;
  if (typeof body === 'string') {
    // UTF-8 has at least one byte per UTF-16 unit and at most three: count only when it matters.
    bytes = body.length * 3 <= LIMITS.bodyMaxBytes ? body.length : utf8Length(body);
    if (bytes > max) return reject(413, `must be at most ${max} bytes (got ${bytes})`);
    text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  } else {
    bytes = body.byteLength;
    if (bytes > max) return reject(413, `must be at most ${max} bytes (got ${bytes})`);
    try {
      text = decoder.decode(body); // drops a leading BOM
    } catch {
      return reject(400, 'must be UTF-8 text');
    }
  }
  if (text.trim() === '') return reject(400, 'must not be empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject(400, `is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  if (bytes > LIMITS.bodyMaxBytes && !isBatch(value)) {
    return reject(
      413,
      `must be at most ${LIMITS.bodyMaxBytes} bytes for one event (got ${bytes}); ` +
        'send more as a batch: { "events": [...] }',
    );
  }
  return { ok: true, value };
}
