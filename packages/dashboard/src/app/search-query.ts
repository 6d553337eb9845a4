import type { WireEvent } from './api.ts';

/**
 * The search box's language. `type:`, `level:`, `user:` and `session:` become the read endpoint's
 * `type`, `level`, `userId` and `sessionId`; free words stay its `search` (contains). `-word` (not)
 * and `"exact phrase"` have no server parameter: they filter the loaded rows in the browser.
 */
export interface ParsedSearch {
  type?: string;
  level?: string;
  userId?: string;
  sessionId?: string;
  /** The free words, joined by a space: the server's `search`. */
  search: string;
  /** Lower-cased words (or phrases) a row must not contain. */
  not: string[];
  /** Lower-cased phrases a row must contain. */
  phrases: string[];
}

const OPERATORS = { type: 'type', level: 'level', user: 'userId', session: 'sessionId' } as const;
export const SEARCH_HINT =
  'type:click  level:error  user:<id>  session:<id>  -word  "exact phrase" — -word and "phrases" filter the loaded rows only';

export function parseSearch(q: string): ParsedSearch {
  const parsed: ParsedSearch = { search: '', not: [], phrases: [] };
  const words: string[] = [];
  for (const [, minus, phrase, word] of q.matchAll(/(-?)"([^"]*)"?|(\S+)/g)) {
    if (phrase !== undefined) {
      const text = phrase.trim().toLowerCase();
      if (text) (minus ? parsed.not : parsed.phrases).push(text);
      continue;
    }
    const token = word ?? '';
    const colon = token.indexOf(':');
    const key = token.slice(0, colon).toLowerCase();
    const value = token.slice(colon + 1);
    if (colon > 0 && value && Object.hasOwn(OPERATORS, key)) {
      parsed[OPERATORS[key as keyof typeof OPERATORS]] = value;
    } else if (token.length > 1 && token.startsWith('-')) {
      parsed.not.push(token.slice(1).toLowerCase());
    } else {
      words.push(token);
    }
  }
  parsed.search = words.join(' ');
  return parsed;
}

/** Whether `-word` or `"phrase"` filter rows in the browser. */
export const filtersLocally = (parsed: ParsedSearch): boolean =>
  parsed.not.length > 0 || parsed.phrases.length > 0;

/** The values of every field, nested ones too (not the field names), one per line. */
function values(value: unknown, out: string[]): string[] {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) values(item, out);
  } else if (value !== undefined && value !== null) {
    out.push(String(value));
  }
  return out;
}

/** The text a row is matched against: every value of the event as the read endpoint answered it. */
const rowText = (event: WireEvent): string => values(event, []).join('\n').toLowerCase();

export function matchesLocally(event: WireEvent, parsed: ParsedSearch): boolean {
  if (!filtersLocally(parsed)) return true;
  const text = rowText(event);
  return parsed.phrases.every((p) => text.includes(p)) && !parsed.not.some((w) => text.includes(w));
}
