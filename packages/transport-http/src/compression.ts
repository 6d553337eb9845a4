import { appendVary } from './responses.ts';

/** Smaller answers go out as they are: gzip would save a few bytes and cost a stream. */
const MIN_GZIP_BYTES = 1024;

/** The q-value of one `Accept-Encoding` entry (`gzip;q=0.5` → 0.5); 1 when absent, 0 when unreadable. */
function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    const [name, value] = param.split('=', 2).map((part) => part.trim());
    if (name?.toLowerCase() === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

/** Whether `Accept-Encoding` takes gzip: named with a non-zero q, or `*` when gzip is not named. */
export function acceptsGzip(header: string | null): boolean {
  if (header === null) return false;
  let wildcard = 0;
  for (const entry of header.split(',')) {
    const [coding = '', ...params] = entry.split(';');
    const name = coding.trim().toLowerCase();
    if (name === 'gzip' || name === 'x-gzip') return qualityOf(params) > 0;
    if (name === '*') wildcard = qualityOf(params);
  }
  return wildcard > 0;
}

/**
 * A read answer gzipped when the request asked for it (`Accept-Encoding: gzip`) and the runtime
 * has `CompressionStream` (Node ≥ 18, Bun, Deno, browsers, workers), so the handler stays
 * runtime-neutral. Never gzipped unasked: vite-plugin-monitor 2.x's middleware always gzips, but
 * a client that did not ask may not be able to read it.
 */
export async function gzipIfAccepted(request: Request, response: Response): Promise<Response> {
  if (!response.body || response.headers.has('content-encoding')) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const buffered = new Response(bytes, response);
  if (bytes.byteLength >= MIN_GZIP_BYTES) return gzipStreamIfAccepted(request, buffered);
  const headers = new Headers(response.headers);
  appendVary(headers, 'Accept-Encoding');
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers });
}

/**
 * `gzipIfAccepted` for an answer streamed as it is produced (a whole-window read): compressed
 * piece by piece, never read into memory first.
 */
export function gzipStreamIfAccepted(request: Request, response: Response): Response {
  if (!response.body || response.headers.has('content-encoding')) return response;
  const headers = new Headers(response.headers);
  appendVary(headers, 'Accept-Encoding');
  const init = { status: response.status, statusText: response.statusText, headers };
  if (typeof CompressionStream !== 'function' || !acceptsGzip(request.headers.get('accept-encoding'))) {
    return new Response(response.body, init);
  }
  headers.set('content-encoding', 'gzip');
  headers.delete('content-length');
  return new Response(response.body.pipeThrough(new CompressionStream('gzip')), init);
}
