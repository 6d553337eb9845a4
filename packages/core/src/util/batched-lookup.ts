/**
 * Point look-ups that arrive together share one store request: a store spends far more on a
 * request (a PocketBase list, a ClickHouse statement with FINAL) than on its rows, so one request
 * per new visitor used to cost more than writing it.
 */

/** Keys per request unless the store says otherwise: a statement of a few hundred keys stays small. */
export const DEFAULT_LOOKUP_CHUNK = 200;

/**
 * How long lookups may wait for others while traffic is steady. In a server each request reaches
 * the pipeline in its own event-loop turn, so sharing only within a turn left one or two lookups
 * per request: measured through Express, 0.5–0.6 ms of Node CPU per event at one lookup per
 * request, 0.05–0.09 ms at 32. After a quiet spell a lookup still goes out on the next turn.
 */
export const LOOKUP_WINDOW_MS = 20;

/** Loads the rows of `ids` (one chunk) on `website`, answering what it found per id. */
export type LoadChunk<V> = (website: string, ids: string[], bound: number) => Promise<Map<string, V>>;

/** A batched lookup: the value stored for `id` on `website` (kept by `accept` for `bound`), or null. */
export type BatchedLookup<V> = (website: string, id: string, bound?: number) => Promise<V | null>;

export interface BatchedLookupOptions<V> {
  /**
   * Whether the loaded `value` answers a caller with this `bound` (default: always). The loader
   * gets the smallest bound of its chunk, so it may find values some callers must not see.
   */
  accept?: (value: V, bound: number) => boolean;
  /** See `LOOKUP_WINDOW_MS`; 0 sends every event-loop turn's lookups on their own. */
  windowMs?: number;
  /** Splits a website's pending ids into requests (default: `DEFAULT_LOOKUP_CHUNK` ids each). */
  chunk?: (ids: readonly string[]) => string[][];
}

/** `ids` in groups of at most `size`. */
export function chunksOf<T>(items: readonly T[], size = DEFAULT_LOOKUP_CHUNK): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

interface Waiter<V> {
  bound: number;
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

const nextTurn: (fn: () => void) => void = (fn) =>
  typeof setImmediate === 'function' ? setImmediate(fn) : setTimeout(fn, 0);

/**
 * Coalesce point look-ups into one `load` per website and chunk. "Together": in the same
 * event-loop turn after a quiet spell; under steady traffic, within `windowMs` of the previous
 * request (a lookup waits that much longer at most). Each caller gets its own answer, or the
 * error of the request that carried its id.
 *
 * @example
 * const getVisitor = createBatchedLookup<VisitorRecord>((website, ids) => loadVisitors(website, ids));
 * const visitor = await getVisitor(website, visitorId); // shares a request with concurrent calls
 */
export function createBatchedLookup<V>(
  load: LoadChunk<V>,
  options: BatchedLookupOptions<V> = {},
): BatchedLookup<V> {
  const { accept = () => true, windowMs = LOOKUP_WINDOW_MS, chunk = chunksOf } = options;
  let pending = new Map<string, Map<string, Waiter<V>[]>>();
  let scheduled = false;
  let lastFlush = Number.NEGATIVE_INFINITY;

  const run = async (website: string, wanted: Map<string, Waiter<V>[]>): Promise<void> => {
    for (const part of chunk([...wanted.keys()])) {
      const waiters = part.flatMap((id) => wanted.get(id) ?? []);
      try {
        const found = await load(website, part, Math.min(...waiters.map((w) => w.bound)));
        for (const id of part) {
          const value = found.get(id);
          for (const waiter of wanted.get(id) ?? []) {
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
      let byId = pending.get(website);
      if (byId === undefined) {
        byId = new Map();
        pending.set(website, byId);
      }
      const waiters = byId.get(id);
      if (waiters === undefined) byId.set(id, [{ bound, resolve, reject }]);
      else waiters.push({ bound, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        const wait = lastFlush + windowMs - Date.now();
        if (wait > 0) setTimeout(flush, wait);
        else nextTurn(flush);
      }
    });
}
