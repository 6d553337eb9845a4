import type { StartServerOptions } from './options.ts';

type Cors = NonNullable<StartServerOptions['cors']>;

const EXAMPLE = 'an origin is scheme://host[:port], such as https://app.example.com';

/** Why `value` is not an origin a browser sends, or undefined when it is one. */
function notAnOrigin(value: string): string | undefined {
  if (value.includes('*')) return 'wildcards are not supported: list each origin, or give * alone';
  // `localhost:5173` parses as a URL of scheme "localhost:": an origin always has "//" and a host.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) return 'it is not a URL';
  const url = new URL(value);
  if (url.host === '') return 'it has no host';
  if (url.username !== '' || url.password !== '') return 'it has a user name';
  if (url.pathname !== '' && url.pathname !== '/') return `it has a path (${url.pathname})`;
  if (url.search !== '' || url.hash !== '') return 'it has a query or a fragment';
  return undefined;
}

/**
 * `--cors-origin a --cors-origin b,c` → `{ origins: [a, b, c] }`, a lone `*` → `{ origins: '*' }`
 * (the HTTP transport takes only the string as "any origin": `['*']` would match no page), or what
 * is wrong. Checked now: an origin that can never match a page's `Origin` would fail every request
 * in silence.
 */
export function corsOf(args: readonly string[] | undefined): Cors | undefined | string {
  if (args === undefined) return undefined;
  const values = [
    ...new Set(
      args
        .flatMap((arg) => arg.split(','))
        .map((value) => value.trim())
        .filter(Boolean),
    ),
  ];
  if (values.length === 0) {
    return `--cors-origin is empty: give an origin such as https://app.example.com, or * for any origin`;
  }
  if (values.includes('*')) {
    if (values.length === 1) return { origins: '*' };
    const others = values.filter((value) => value !== '*').join(', ');
    return `--cors-origin * allows every origin, so it cannot be listed with ${others}: give * alone, or only the origins`;
  }
  const origins: string[] = [];
  for (const value of values) {
    const problem = notAnOrigin(value);
    if (problem !== undefined) return `--cors-origin "${value}" is not an origin: ${problem}; ${EXAMPLE}`;
    const url = new URL(value);
    // The form browsers send: no trailing slash, no default port, a lowercase host.
    origins.push(`${url.protocol}//${url.host}`);
  }
  return { origins };
}
