import { SkoposError } from '@skopos/core';

/**
 * `new URL(url)`, but a malformed URL fails with a typed error whose message hides the password:
 * the TypeError of `new URL` carries the whole input (in `.input`), credentials included.
 */
export function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    // No `cause`: it is that TypeError, whose `.input` holds the password.
    // A malformed URL has no reliable userinfo boundary: hide everything up to its last `@`.
    const at = url.lastIndexOf('@');
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
    const shown = at < 0 ? url : `${scheme}***${url.slice(at)}`;
    throw new SkoposError('invalid_options', `[skopos/clickhouse] url is not a valid URL: ${shown}`);
  }
}
