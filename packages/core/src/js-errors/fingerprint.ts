import { sha256Hex } from '../util/hash.ts';
import { parseFirstMeaningfulFrame } from './stack-frame.ts';

/** Fingerprints are this many hex characters (128 bits): ample against collisions, half the storage. */
export const FINGERPRINT_LENGTH = 32;

/** Chrome prefixes uncaught errors (`Uncaught TypeError: …`) where other engines do not. */
const uncaughtPrefix = /^uncaught (?:\(in promise\) )?/i;
const whitespace = /\s+/g;

/** The message as hashed: no `Uncaught ` prefix, whitespace collapsed, trimmed. */
export function normaliseErrorMessage(message: string): string {
  return message.replace(whitespace, ' ').trim().replace(uncaughtPrefix, '');
}

/**
 * The first stack frame in the site's own code as `fn (file:line)` or `file:line`, normalised
 * across engines (no column, no query string, no receiver type); '' when there is none. Frames of
 * `<anonymous>`/native code, eval, browser extensions and the Skopos tracker script are skipped.
 *
 * @example
 * firstMeaningfulFrame('TypeError: x\n    at Object.load (https://a.example/app.js?v=2:10:5)');
 * // 'load (https://a.example/app.js:10)'
 */
export function firstMeaningfulFrame(stack: string): string {
  const frame = parseFirstMeaningfulFrame(stack);
  if (frame === null) return '';
  const location = `${frame.file}:${frame.line}`;
  return frame.fn === '' ? location : `${frame.fn} (${location})`;
}

/**
 * The `errorHash` that merges repeats of one JS error: SHA-256 of the normalised message and the
 * first meaningful stack frame, first 32 hex characters. The same bug in Chrome, Firefox and
 * Safari (different stack syntax, columns, cache-busting query strings) gives the same hash.
 *
 * @example
 * fingerprintError('Uncaught TypeError: x is undefined', error.stack ?? ''); // 'a3f1…' (32 chars)
 */
export function fingerprintError(message: string, stackTrace: string): string {
  return sha256Hex(`${normaliseErrorMessage(message)}\n${firstMeaningfulFrame(stackTrace)}`).slice(
    0,
    FINGERPRINT_LENGTH,
  );
}
