import type { ExpressRequestLike } from './types.ts';

const encoder = new TextEncoder();

/**
 * True when a body parser has already read the request stream (the test is on-finished's, which
 * body-parser 1 and 2 use): the bytes are gone and only `req.body` is left.
 */
export function bodyWasConsumed(req: ExpressRequestLike): boolean {
  return req.complete && !req.readable;
}

/**
 * `req.body` back as bytes for the transport's parser: `express.raw()` leaves bytes,
 * `express.text()` a string, `express.json()` a value that is serialised again. Re-serialising
 * keeps the transport's limits (body size, validation) in force whatever the app's parser allowed.
 */
export function bytesOfParsedBody(body: unknown): Uint8Array<ArrayBuffer> {
  // A copy: a Buffer may be a view into Node's shared pool, which `Request` bodies do not accept.
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (typeof body === 'string') return encoder.encode(body);
  if (body === undefined) return new Uint8Array(0);
  return encoder.encode(JSON.stringify(body) ?? '');
}
