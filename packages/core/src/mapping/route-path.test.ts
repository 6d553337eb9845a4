import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PathOptions, toPath } from '../detect/path.ts';
import { LIMITS } from '../validation/limits.ts';
import { stripControlChars, truncate } from '../validation/text.ts';
import { routePath } from './route-path.ts';

/** What `routePath` answered before it skipped the URL parser for plain routes: the parser's word. */
function parsed(route: string, rules: PathOptions): string {
  if (route === '') return '';
  try {
    return toPath(new URL(route, 'http://route.invalid'), rules);
  } catch {
    return truncate(stripControlChars(route), LIMITS.urlStoredChars);
  }
}

const RULES: PathOptions[] = [
  {},
  { keepQuery: true },
  { keepHash: true },
  { keepQuery: true, keepHash: true },
];

// Characters a route is made of, the ones the parser rewrites or reads among them.
const CHARS = [...'abcXYZ019-._~!$&()*+,;=:@/', ...'?#%\\ \t\n^`{}|"\'<>[]', 'é', '😀', '%2e', '..', '.'];

describe('routePath', () => {
  it('gives the pathname the URL parser gives, for any route', () => {
    const route = fc
      .array(fc.constantFrom(...CHARS), { maxLength: 24 })
      .map((parts) => parts.join(''))
      .chain((body) => fc.constantFrom(body, `/${body}`, `//${body}`));
    fc.assert(
      fc.property(route, fc.constantFrom(...RULES), (r, rules) => {
        expect(routePath(r, rules)).toBe(parsed(r, rules));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the pathname the URL parser gives for routes of plain-looking segments', () => {
    // What the shortcut takes, and its edges: dot segments (also encoded), empty ones, `//` in front.
    const segment = fc.constantFrom(
      '',
      '.',
      '..',
      '%2e',
      '.a',
      'a.',
      'p',
      '12',
      ':',
      '@',
      'a:b',
      '~x',
      '$&()*+,;=',
      '-_',
    );
    const route = fc
      .tuple(fc.constantFrom('/', '//', ''), fc.array(segment, { minLength: 1, maxLength: 8 }))
      .map(([lead, parts]) => lead + parts.join('/'));
    fc.assert(
      fc.property(route, fc.constantFrom(...RULES), (r, rules) => {
        expect(routePath(r, rules)).toBe(parsed(r, rules));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['/p/12', '/p/12'],
    ['/', '/'],
    ['//evil.example/x', '/x'],
    ['/a/../b', '/b'],
    ['/a/./b/.', '/a/b/'],
    ['/a b', '/a%20b'],
    ['/cart?utm_source=x', '/cart'],
    ['/é', '/%C3%A9'],
  ])('%s → %s', (route, path) => {
    expect(routePath(route, {})).toBe(path);
  });

  it('takes the path of a route with a query from the URL it is handed, parsed once by the caller', () => {
    const parsedOnce = new URL('/landing?utm_source=x#top', 'http://route.invalid');
    expect(routePath('/landing?utm_source=x#top', { keepQuery: true }, parsedOnce)).toBe(
      '/landing?utm_source=x',
    );
    // It is that URL that is read, not the route again.
    expect(routePath('/other?y=1', {}, parsedOnce)).toBe('/landing');
  });

  it('cuts a long plain route as a parsed one', () => {
    const long = `/${'a'.repeat(3000)}`;
    expect(routePath(long, {})).toBe(parsed(long, {}));
    expect(routePath(long, {})).toHaveLength(2048);
  });
});
