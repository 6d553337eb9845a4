import type { BodyLease } from './body-budget.ts';
import { type Answer, errorAnswer, unavailableAnswer } from './responses.ts';

/**
 * A request body read under a size limit, with the request's lease on the server's body budget
 * (release it once the body's events are tracked), or the status that refuses it (nothing held).
 */
export type BodyBytes =
  | { ok: true; bytes: Uint8Array; lease: BodyLease }
  | { ok: false; status: 400 | 413 | 503; error: string };

/** The refusal of a body that does not fit the server's budget now: another moment it will. */
export const BUSY: Extract<BodyBytes, { ok: false }> = {
  ok: false,
  status: 503,
  error: 'the server is reading too many request bodies at once: retry later',
};

/** The answer to a refused body: 503 with `Retry-After` for a full budget, else the client's error. */
export function bodyRefusal(refusal: Extract<BodyBytes, { ok: false }>): Answer {
  return refusal.status === 503
    ? unavailableAnswer(refusal.error)
    : errorAnswer(refusal.status, refusal.error);
}

/** The refusal of a body `size` bytes read so far: over `maxBytes` (413), or past the budget (503). */
export function chunkRefusal(
  size: number,
  maxBytes: number,
  lease: BodyLease,
  declared = 0,
): Extract<BodyBytes, { ok: false }> | null {
  if (size > maxBytes) return tooLarge(maxBytes);
  return lease.hold(size, declared) ? null : BUSY;
}

/** The length a request declares, or 0 when it declares none (a chunked upload). */
export function declaredLength(contentLength: string | null | undefined): number {
  const length = Number(contentLength ?? 0);
  return Number.isSafeInteger(length) && length > 0 ? length : 0;
}

/** The refusal of a body over `maxBytes`, whichever way it was found out. */
export function tooLarge(maxBytes: number): Extract<BodyBytes, { ok: false }> {
  return {
    ok: false,
    status: 413,
    error: `request body larger than ${maxBytes} bytes: send smaller batches`,
  };
}

/** The refusal of a body whose stream failed before its end. */
export const UNREADABLE: Extract<BodyBytes, { ok: false }> = {
  ok: false,
  status: 400,
  error: 'the request body could not be read (connection aborted?)',
};

/** Whether `Content-Length` already says the body is over `maxBytes` (then nothing need be read). */
export function declaresTooMuch(contentLength: string | null | undefined, maxBytes: number): boolean {
  return contentLength !== null && contentLength !== undefined && Number(contentLength) > maxBytes;
}

/**
 * Reads the body, refusing it as soon as it exceeds `maxBytes`: first from `Content-Length`
 * (nothing is read), then by counting while reading, because a chunked or lying client declares no
 * length or a false one; or as soon as its bytes so far do not fit the server's `budget` (503).
 */
export async function readBody(request: Request, maxBytes: number, lease: BodyLease): Promise<BodyBytes> {
  const declared = request.headers.get('content-length');
  if (declaresTooMuch(declared, maxBytes)) return tooLarge(maxBytes);
  if (!request.body) return { ok: true, bytes: new Uint8Array(0), lease };
  const chunks: Uint8Array[] = [];
  const length = declaredLength(declared);
  let size = 0;
  try {
    // Inside the try: a body another handler already read or locked throws here, and the bytes
    // taken for it below must be given back.
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      const refusal = chunkRefusal(size, maxBytes, lease, length);
      if (refusal) {
        reader.cancel().catch(() => {});
        lease.release();
        return refusal;
      }
      chunks.push(value);
    }
  } catch {
    lease.release();
    return UNREADABLE;
  }
  const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size);
  return { ok: true, bytes, lease };
}

/**
 * A body a framework's parser already read (only its bytes are left), held to the same size limit
 * and budget as one read from the stream: what `readBody` answers for a request with these bytes.
 */
export function readBodyBytes(bytes: Uint8Array, maxBytes: number, lease: BodyLease): BodyBytes {
  if (!lease.hold(0)) return BUSY;
  const refusal = chunkRefusal(bytes.byteLength, maxBytes, lease);
  if (refusal) {
    lease.release();
    return refusal;
  }
  return { ok: true, bytes, lease };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * JSON and `text/plain` are accepted (sendBeacon sends strings as `text/plain` and a `text/plain`
 * fetch needs no CORS preflight); a missing type is read as JSON for curl-style clients.
 */
export function isAcceptedContentType(header: string | null): boolean {
  if (header === null) return true;
  const type = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return type === '' || type === 'application/json' || type === 'text/plain' || type.endsWith('+json');
}
