import type { Logger } from '../logger.ts';
import { normalizeIp } from '../net/normalize-ip.ts';
import type { Store } from '../store/store.ts';
import { createHmacSha256, sha256Hex } from '../util/hash.ts';
import { LruCache } from '../util/lru.ts';
import { PairCache } from '../util/pair-cache.ts';
import type { VisitorIdMode } from './visitor-id.ts';

export interface VisitorHasherOptions {
  mode: VisitorIdMode;
  store: Pick<Store, 'ensureSecret'>;
  /** Used when the store cannot keep secrets. */
  secret?: string | undefined;
  logger: Logger;
  cacheSize?: number;
}

/** The visitor hash now, and (daily mode) the one the same client had yesterday. */
export interface VisitorIds {
  current: string;
  previous?: string;
}

export interface VisitorHasher {
  readonly mode: VisitorIdMode;
  /** Sync when the salt for `now`'s day is loaded (the hot path); a promise only on a salt change. */
  ids(siteId: string, ip: string, userAgent: string, now: number): VisitorIds | Promise<VisitorIds>;
}

const DAY_MS = 86_400_000;
const STABLE_KEY = 'visitor-salt';

function randomSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function dayKey(day: number): string {
  return `${STABLE_KEY}:${new Date(day * DAY_MS).toISOString().slice(0, 10)}`;
}

/**
 * Makes visitor ids from (siteId, IP, User-Agent). Results are cached per input because the same
 * client sends many events; the salt is read from the store once (and once per day in `daily`).
 *
 * @example
 * const hasher = createVisitorHasher({ mode: 'stable', store, logger: silentLogger });
 * const { current } = await hasher.ids('site-1', '203.0.113.9', userAgent, Date.now());
 */
export function createVisitorHasher(options: VisitorHasherOptions): VisitorHasher {
  const { mode, store, logger } = options;
  const cacheSize = options.cacheSize ?? 100_000;
  // One cache per site (and day): lookups use the request's own UA and IP strings as keys, with no
  // combined key string built per event. The few most active sites keep theirs.
  const caches = new LruCache<string, PairCache<VisitorIds>>(16);
  let lastScope = '';
  let lastCache: PairCache<VisitorIds> | undefined;

  function cacheFor(scope: string): PairCache<VisitorIds> {
    if (scope === lastScope && lastCache) return lastCache;
    let cache = caches.get(scope);
    if (!cache) {
      cache = new PairCache<VisitorIds>(cacheSize);
      caches.set(scope, cache);
    }
    lastScope = scope;
    lastCache = cache;
    return cache;
  }
  const keyed = new Map<string, (input: string) => string>();
  const loading = new Map<string, Promise<(input: string) => string>>();
  let warnedEphemeral = false;

  async function loadSalt(key: string): Promise<string> {
    const candidate = options.secret ? `${options.secret}:${key}` : randomSalt();
    if (store.ensureSecret) return store.ensureSecret(key, candidate);
    if (!options.secret && !warnedEphemeral) {
      warnedEphemeral = true;
      logger.warn(
        'the store cannot keep secrets and no `secret` option was given: visitor ids will change when this process restarts',
      );
    }
    return candidate;
  }

  function hasherFor(key: string): ((input: string) => string) | Promise<(input: string) => string> {
    const ready = keyed.get(key);
    if (ready) return ready;
    let pending = loading.get(key);
    if (!pending) {
      pending = loadSalt(key).then((salt) => {
        const hmac = createHmacSha256(salt);
        keyed.set(key, hmac);
        loading.delete(key);
        // Only today's and yesterday's salts are ever needed.
        if (keyed.size > 3) keyed.delete(keyed.keys().next().value as string);
        return hmac;
      });
      pending.catch(() => loading.delete(key));
      loading.set(key, pending);
    }
    return pending;
  }

  function compute(
    siteId: string,
    ip: string,
    userAgent: string,
    now: number,
  ): VisitorIds | Promise<VisitorIds> {
    // The original Skopos SDK hashed 'unknown' for a missing address or user agent.
    if (mode === 'legacy')
      return { current: sha256Hex(`${siteId}-${ip || 'unknown'}-${userAgent || 'unknown'}`) };
    const input = `${siteId}-${ip}-${userAgent}`;
    if (mode === 'stable') {
      const h = hasherFor(STABLE_KEY);
      return h instanceof Promise ? h.then((f) => ({ current: f(input) })) : { current: h(input) };
    }
    const day = Math.floor(now / DAY_MS);
    const today = hasherFor(dayKey(day));
    const yesterday = hasherFor(dayKey(day - 1));
    if (today instanceof Promise || yesterday instanceof Promise) {
      return Promise.all([today, yesterday]).then(([t, y]) => ({ current: t(input), previous: y(input) }));
    }
    return { current: today(input), previous: yesterday(input) };
  }

  return {
    mode,
    ids(siteId, ip, userAgent, now) {
      const cache = cacheFor(mode === 'daily' ? `${Math.floor(now / DAY_MS)}\u0000${siteId}` : siteId);
      const hit = cache.get(userAgent, ip);
      if (hit) return hit;
      const result = compute(siteId, ip, userAgent, now);
      if (result instanceof Promise) {
        return result.then((ids) => {
          cache.set(userAgent, ip, ids);
          return ids;
        });
      }
      cache.set(userAgent, ip, result);
      return result;
    },
  };
}

/**
 * The address `legacy` ids hash: the one the original Skopos SDK read, the connection's as Node
 * gives it (`::ffff:203.0.113.7` from a dual-stack server such as Express's default) when the
 * client IP is that connection's, else the client IP (the proxy's `X-Forwarded-For` entry).
 */
export function legacyAddress(client: { ip: string; remoteAddress?: string | undefined }): string {
  const raw = client.remoteAddress;
  return raw && raw !== client.ip && normalizeIp(raw) === client.ip ? raw : client.ip;
}
