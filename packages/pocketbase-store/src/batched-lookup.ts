/** At most this many ids per lookup request… */
const LOOKUP_CHUNK = 50;
/** …and a filter below PocketBase's limit of 3500 characters (it answers 400 beyond). */
const MAX_FILTER_CHARS = 3000;

/** `ids` in groups whose `field = "…" || …` filter stays under the limits above. */
export function filterChunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const cost = JSON.stringify(id).length + 20;
    if (current.length > 0 && (current.length >= LOOKUP_CHUNK || chars + cost > MAX_FILTER_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

interface Waiter<V> {
  /** The caller's bound (e.g. "active since"); the loader gets the smallest of a batch. */
  bound: number;
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

/** Loads the rows of `ids` (one chunk) on `website`, answering what it found per id. */
export type LoadChunk<V> = (website: string, ids: string[], bound: number) => Promise<Map<string, V>>;

const nextTurn: (fn: () => void) => void = (fn) =>
  typeof setImmediate === 'function' ? setImmediate(fn) : setTimeout(fn, 0);

/**
 * How long lookups may wait for others while traffic is steady. In a server each request reaches
 * the pipeline in its own event-loop turn, so sharing only within a turn left one or two lookups
 * per request: measured through Express, 0.5–0.6 ms of Node CPU per event at one lookup per
 * request, 0.05–0.09 ms at 32. After a quiet spell a lookup still goes out on the next turn.
 */
export const LOOKUP_WINDOW_MS = 20;

/**
 * Lookups that arrive together (every new session of a burst of `track` calls asks) share one list
 * request per website and up to 50 ids (fewer for long ids): PocketBase spends far more CPU on a
 * request than on the rows, so one request per new visitor used to cost more than writing it.
 * "Together": in the same event-loop turn after a quiet spell; under steady traffic, within
 * `windowMs` of the previous request (a new visitor's first event waits that much longer at most).
 * `accept` filters what the loader found against each caller's own bound.
 */
export function createBatchedLookup<V>(
  load: LoadChunk<V>,
  accept: (value: V, bound: number) => boolean = () => true,
  windowMs = LOOKUP_WINDOW_MS,
): (website: string, id: string, bound?: number) => Promise<V | null> {
  let pending = new Map<string, Map<string, Waiter<V>[]>>();
  let scheduled = false;
  let lastFlush = Number.NEGATIVE_INFINITY;

  const run = async (website: string, wanted: Map<string, Waiter<V>[]>): Promise<void> => {
    for (const part of filterChunks([...wanted.keys()])) {
      const waiters = part.flatMap((id) => wanted.get(id) ?? []);
      try {
        const bound = Math.min(...waiters.map((w) => w.bound));
        const found = await load(website, part, bound);
        for (const id of part) {
          for (const waiter of wanted.get(id) ?? []) {
            const value = found.get(id);
            waiter.resolve(value !== undefined && accept(value, waiter.bound) ? value : null);
          }
        }
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
  };

  const flush = (): void => {
    scheduled = false;
    lastFlush = Date.now();
    const batch = pending;
    pending = new Map();
    for (const [website, wanted] of batch) void run(website, wanted);
  };

  return (website, id, bound = 0) =>
    new Promise((resolve, reject) => {
      const byId = pending.get(website) ?? new Map<string, Waiter<V>[]>();
      pending.set(website, byId);
      byId.set(id, [...(byId.get(id) ?? []), { bound, resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        const wait = lastFlush + windowMs - Date.now();
        if (wait > 0) setTimeout(flush, wait);
        else nextTurn(flush);
      }
    });
}
