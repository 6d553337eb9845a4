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
  try {
    return encoder.encode(JSON.stringify(body) ?? '');
  } catch (error) {
    // Nested too deep for the engine's stack (a client's `[[[[…]]]]`, which JSON.parse took): no
    // event is valid that deep, so the validator refuses it with a 400 naming the field. A cycle
    // another middleware left (a TypeError) is the app's bug and still goes to Express.
    if (error instanceof RangeError) return encoder.encode(cappedJson(body, MAX_LEVELS));
    throw error;
  }
}

/** Deeper than any field the validator takes (custom data nests at most 16 levels). */
const MAX_LEVELS = 64;

/** JSON of a parsed body, with `null` for whatever lies more than `levels` levels down. */
function cappedJson(value: unknown, levels: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (levels === 0) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => cappedJson(item, levels - 1)).join(',')}]`;
  const fields = Object.entries(value).map(
    ([key, item]) => `${JSON.stringify(key)}:${cappedJson(item, levels - 1)}`,
  );
  return `{${fields.join(',')}}`;
}
