/**
 * `X-Forwarded-For` entries in header order (client first), blanks skipped. The entries are raw:
 * ports and brackets are left for `normalizeIp`.
 */
export function parseXForwardedFor(header: string): string[] {
  const list: string[] = [];
  let start = 0;
  for (let i = 0; i <= header.length; i++) {
    if (i === header.length || header.charCodeAt(i) === 44 /* , */) {
      const entry = header.slice(start, i).trim();
      if (entry !== '') list.push(entry);
      start = i + 1;
    }
  }
  return list;
}

const SEMICOLON = 59;
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;
const EQUALS = 61;

/**
 * The `for=` value of each element of an RFC 7239 `Forwarded` header, in header order.
 * Quoted strings (with `\` escapes, and commas or semicolons inside) are unquoted; an element
 * without `for=` yields `unknown`, because the proxy that wrote it did not say who its client was.
 * One pass over the characters, so a hostile header costs linear time.
 *
 * @example
 * parseForwardedFor('for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"');
 * // ['192.0.2.60', '[2001:db8::17]:4711']
 */
export function parseForwardedFor(header: string): string[] {
  const result: string[] = [];
  const n = header.length;
  let i = 0;
  let forValue: string | undefined;
  let elementHasPair = false;
  while (i <= n) {
    // One `name=value` pair.
    const nameStart = i;
    while (i < n) {
      const c = header.charCodeAt(i);
      if (c === EQUALS || c === SEMICOLON || c === COMMA) break;
      i++;
    }
    const name = header.slice(nameStart, i).trim().toLowerCase();
    let value = '';
    if (i < n && header.charCodeAt(i) === EQUALS) {
      i++;
      while (i < n && header.charCodeAt(i) === 32) i++;
      if (i < n && header.charCodeAt(i) === QUOTE) {
        i++;
        while (i < n && header.charCodeAt(i) !== QUOTE) {
          if (header.charCodeAt(i) === BACKSLASH && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
        while (i < n && header.charCodeAt(i) !== SEMICOLON && header.charCodeAt(i) !== COMMA) i++;
      } else {
        const valueStart = i;
        while (i < n && header.charCodeAt(i) !== SEMICOLON && header.charCodeAt(i) !== COMMA) i++;
        value = header.slice(valueStart, i).trim();
      }
    }
    if (name !== '') elementHasPair = true;
    if (name === 'for' && forValue === undefined) forValue = value;
    const end = i >= n ? COMMA : header.charCodeAt(i);
    i++;
    if (end === COMMA) {
      // An empty element (`a, , b` or a trailing comma) is not a hop.
      if (elementHasPair) result.push(forValue ?? 'unknown');
      forValue = undefined;
      elementHasPair = false;
    }
  }
  return result;
}
