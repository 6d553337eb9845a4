import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyLease } from './body-budget.ts';
import { type BodyBytes, chunkRefusal, declaredLength, UNREADABLE } from './read-body.ts';
import type { Answer } from './responses.ts';
import { replyAfterTurn } from './turn-replies.ts';

/** After answering early (413…), at most this much of the unread request body is drained before the socket is cut. */
const MAX_DRAIN_BYTES = 1024 * 1024;

/** A request's headers by lower-case name, as a Fetch `Headers` would give them. */
export type NodeHeaders = Readonly<Record<string, string>>;

/**
 * The headers of a Node request as Fetch `Headers.get` reads them: a repeated header joined with
 * `, `. Not `req.headers`, which keeps only the first `User-Agent`, `Content-Type`… of a request
 * that repeats them, so the pipeline would see other headers than on the Fetch path.
 */
export function nodeHeaders(rawHeaders: readonly string[]): NodeHeaders {
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const seen = headers[name];
    headers[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return headers;
}

/**
 * Reads a Node request's body into one buffer, refusing it as soon as it exceeds `maxBytes` or its
 * bytes so far do not fit the server's `budget` (then the rest stays unread: the caller answers and
 * drains). A stream that fails or closes before its end is refused like on the Fetch path.
 */
export function readNodeBody(
  req: IncomingMessage,
  contentLength: string | undefined,
  maxBytes: number,
  lease: BodyLease,
): Promise<BodyBytes> {
  const declared = declaredLength(contentLength);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyBytes): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFailure);
      req.off('close', onFailure);
      if (!result.ok) lease.release();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      const refusal = chunkRefusal(size, maxBytes, lease, declared);
      if (refusal) {
        req.pause();
        finish(refusal);
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      finish({ ok: true, bytes, lease });
    };
    const onFailure = (): void => finish(UNREADABLE);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onFailure);
    req.once('close', onFailure);
  });
}

/** Lets the unread rest of a refused body arrive (so the client reads our answer), up to a cap. */
export function drain(req: IncomingMessage): void {
  let drained = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Uint8Array) => {
    drained += chunk.byteLength;
    if (drained > MAX_DRAIN_BYTES) req.destroy();
  });
  req.resume();
}

/**
 * Writes an answer: with the other answers of this event loop turn (see `replyAfterTurn`), or at
 * once to a client still sending a body nobody will read. That one gets `Connection: close` and the
 * rest of its body is drained, as `toNodeListener` does for the Fetch path.
 */
export function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const { headers } = answer;
  headers['content-length'] = String(Buffer.byteLength(answer.body));
  if (req.complete) {
    replyAfterTurn(res, answer);
    return;
  }
  headers.connection = 'close';
  res.writeHead(answer.status, headers).end(answer.body);
  drain(req);
}
