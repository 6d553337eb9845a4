/**
 * A request body as text. Streams, files, buffers and forms are only named (`[Blob 12B]`,
 * `[FormData]`, `[ReadableStream]`), never read: reading would consume or copy them.
 */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return `${body}`;
  if (!body || typeof body !== 'object') return '';
  const { size = (body as ArrayBufferView).byteLength } = body as Partial<Blob>;
  return `[${body.constructor.name}${size == null ? '' : ` ${size}B`}]`;
}
