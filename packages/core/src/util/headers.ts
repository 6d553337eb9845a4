/** Either Fetch `Headers` or Node's `IncomingHttpHeaders` (lower-case keys). */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersLike(source: HeaderSource): source is { get(name: string): string | null } {
  return typeof (source as { get?: unknown }).get === 'function';
}

/** One header's value; repeated Node headers are joined with `, ` as HTTP says they may be. */
export function getHeader(source: HeaderSource, name: string): string | undefined {
  const key = name.toLowerCase();
  if (isHeadersLike(source)) return source.get(key) ?? undefined;
  const value = (source as Readonly<Record<string, string | readonly string[] | undefined>>)[key];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
