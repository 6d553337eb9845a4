/** A request body read under a size limit, or the status that refuses it. */
export type BodyBytes = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413; error: string };

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
 * length or a false one.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyBytes> {
  if (declaresTooMuch(request.headers.get('content-length'), maxBytes)) return tooLarge(maxBytes);
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch {
    return UNREADABLE;
  }
  return { ok: true, bytes: chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size) };
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
