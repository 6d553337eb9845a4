/**
 * The visits of the scale-out traffic (the four-node test of `@skopos/server` and
 * `bench/scale-out.mjs`), four kinds by `v % 4`: a bounce (one page), a reader (one page engaged by
 * 12 s of visible time: a signal, not a stored event), a shopper (3 pages, a custom event, a JS error)
 * and two pages. Events are 3–20 s apart by the client's clock.
 */
export function visitEvents(
  v: number,
  /** `start`: the client time before the first event; `base(i)`: the fields event `i` carries (siteId, url, eventId…). */
  { start, base }: { start: number; base: (i: number) => Record<string, unknown> },
): Record<string, unknown>[] {
  let at = start;
  const event = (i: number, fields: Record<string, unknown>) => {
    at += 3_000 + ((v * 7 + i * 13) % 18) * 1_000;
    return { ...base(i), ts: at, ...fields };
  };
  const page = (i: number) => event(i, { type: 'pageView' });
  switch (visitKind(v)) {
    case 'bounce':
      return [page(0)];
    case 'reader':
      return [page(0), event(1, { type: 'engagement', duration: 12 })];
    case 'shopper':
      return [
        page(0),
        page(1),
        event(2, { type: 'custom', name: 'add_to_cart' }),
        event(3, { type: 'jsError', errorMessage: 'boom' }),
        page(4),
      ];
    default:
      return [page(0), page(1)];
  }
}

export function visitKind(v: number): 'bounce' | 'reader' | 'shopper' | 'two pages' {
  return (['bounce', 'reader', 'shopper', 'two pages'] as const)[v % 4] ?? 'two pages';
}

/** Visit `v`'s events as a tracker flushing would post them: 1–2 per POST. */
export function visitPosts<T>(v: number, events: readonly T[]): T[][] {
  const posts: T[][] = [];
  for (let i = 0; i < events.length; i += 1 + ((v + i) % 2))
    posts.push(events.slice(i, i + 1 + ((v + i) % 2)));
  return posts;
}
