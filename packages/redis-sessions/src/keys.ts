/**
 * Key layout. Every key of one website shares the hash tag `{<website>}`, so a commit's keys are in
 * one Redis Cluster slot (a Lua script may only touch keys of one slot):
 *
 *   <prefix>:{<website>}:s:<session key>   string `<version>|<row.isNewVisitor 0|1>|<session JSON>`
 *   <prefix>:{<website>}:e:<identity>      string: the claiming session's row id
 *   <prefix>:{<website>}:v:<visitor id>    string "1": the visitor is claimed
 *
 * The website is escaped (`%` → `%25`, `{` → `%7B`, `}` → `%7D`) so that no character in it can end
 * the tag early or make two websites' keys equal. What follows the tag needs no escaping: the tag
 * holds no `}`, then comes a fixed kind letter, so a key is read back one way only.
 */

const ESCAPES: Record<string, string> = { '%': '%25', '{': '%7B', '}': '%7D' };

/** The hash-tag content for `website`; never empty (an empty tag `{}` would hash the whole key). */
export function siteTag(website: string): string {
  // A lone `%` never comes out of the escaping (a literal `%` becomes `%25`), so it can name ''.
  return website === '' ? '%' : website.replace(/[%{}]/g, (char) => ESCAPES[char] ?? char);
}

export interface SiteKeys {
  session(key: string): string;
  identity(identity: string): string;
  visitor(visitor: string): string;
}

/** The key builder of one website under `prefix`. */
export function siteKeys(prefix: string, website: string): SiteKeys {
  const base = `${prefix}:{${siteTag(website)}}:`;
  return {
    session: (key) => `${base}s:${key}`,
    identity: (identity) => `${base}e:${identity}`,
    visitor: (visitor) => `${base}v:${visitor}`,
  };
}

/** A prefix with braces would take the hash tag away from the website (one slot for everything). */
export function checkPrefix(prefix: string): string | undefined {
  return /[{}]/.test(prefix) ? `prefix ${JSON.stringify(prefix)} must not contain { or }` : undefined;
}
