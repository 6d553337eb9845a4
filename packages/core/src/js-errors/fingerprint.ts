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

/** Script files have an extension; a frame in a page (`/pricing`, `/docs/`, `/a.html`) is an inline script. */
const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|wasm)$/i;

function pathnameOf(file: string): string {
  try {
    return new URL(file).pathname;
  } catch {
    return file;
  }
}

/** Whether `file` is the page itself (an inline script), so it differs per page for one bug. */
function isInlineScript(file: string, pageUrl: string | undefined): boolean {
  const pathname = pathnameOf(file);
  if (!SCRIPT_FILE.test(pathname)) return true;
  if (pageUrl === undefined || pageUrl === '') return false;
  const page = pageUrl.replace(/[?#].*$/, '');
  return file === page || pathname === pathnameOf(page);
}

/**
 * The frame part of a fingerprint: the first meaningful frame's function and file. The line is
 * left out when the function names the place (a rebuild moves lines, not functions); an inline
 * script's "file" is the page, which differs on every page the same bug happens on, so only its
 * function is kept.
 */
function frameKey(stackTrace: string, pageUrl: string | undefined): string {
  const frame = parseFirstMeaningfulFrame(stackTrace);
  if (frame === null) return '';
  if (isInlineScript(frame.file, pageUrl)) return frame.fn;
  return frame.fn === '' ? `${frame.file}:${frame.line}` : `${frame.fn} (${frame.file})`;
}

/**
 * The `errorHash` that merges repeats of one JS error: SHA-256 of the normalised message and the
 * first meaningful stack frame's function and file, first 32 hex characters. The same bug in
 * Chrome, Firefox and Safari (different stack syntax, columns, cache-busting query strings) gives
 * the same hash, and so does one bug of a script inlined in several pages (`pageUrl`, the page the
 * error happened on, tells such frames apart).
 *
 * @example
 * fingerprintError('Uncaught TypeError: x is undefined', error.stack ?? '', location.href); // 'a3f1…' (32 chars)
 */
export function fingerprintError(message: string, stackTrace: string, pageUrl?: string): string {
  return sha256Hex(`${normaliseErrorMessage(message)}\n${frameKey(stackTrace, pageUrl)}`).slice(
    0,
    FINGERPRINT_LENGTH,
  );
}
