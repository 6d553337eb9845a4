import type {
  CommitResult,
  SessionCommit,
  SessionStore,
  SharedSession,
  VersionedSession,
} from './session-store.ts';

export interface MemorySessionStoreOptions {
  /** The store's clock (ms); a test moves it to expire sessions and claims. */
  now?: () => number;
  /** Entries (sessions, identities, visitors together) kept at most; expired ones go first, then the oldest. */
  maxEntries?: number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 1_000_000;

/**
 * A `SessionStore` in one process's memory: several pipelines of one process (tests, or workers
 * sharing it through a message port of your own) see one set of sessions. It is the reference the
 * Redis implementation is held to (`describeSessionStore`). Values are copied in and out, so a
 * caller can never change a stored session without a commit.
 *
 * @example
 * const sessions = memorySessionStore();
 * const a = createSkopos({ store, sessions });
 * const b = createSkopos({ store, sessions }); // a visitor's events through either join one session
 */
export function memorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const sessions = new Map<string, Expiring<VersionedSession>>();
  const identities = new Map<string, Expiring<string>>();
  const visitors = new Map<string, Expiring<true>>();
  const tables: Map<string, Expiring<unknown>>[] = [sessions, identities, visitors];

  function live<T>(table: Map<string, Expiring<T>>, key: string): T | undefined {
    const entry = table.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry.value;
    table.delete(key);
    return undefined;
  }

  function put<T>(table: Map<string, Expiring<T>>, key: string, value: T, ttlMs: number): void {
    table.delete(key); // re-inserted last: Map order is then oldest-written first
    table.set(key, { value, expiresAt: now() + ttlMs });
    if (sessions.size + identities.size + visitors.size > maxEntries) evict();
  }

  /** Drops the oldest-written entry of the fullest table: the bound holds whatever the mix. */
  function evict(): void {
    const fullest = tables.reduce((a, b) => (b.size > a.size ? b : a));
    const oldest = fullest.keys().next();
    if (!oldest.done) fullest.delete(oldest.value);
  }

  const secrets = new Map<string, string>();
  let topVersion = 0;
  return {
    name: 'memory',
    ensureSecret(key, value) {
      if (!secrets.has(key)) secrets.set(key, value);
      return secrets.get(key) as string;
    },
    load(website, key) {
      const found = live(sessions, `${website}\u0000${key}`);
      return found === undefined ? null : copyVersioned(found);
    },
    commit(change: SessionCommit): CommitResult {
      const { website } = change;
      const identityKey = change.identity === undefined ? undefined : `${website}\u0000${change.identity}`;
      if (identityKey !== undefined) {
        const claimedBy = live(identities, identityKey);
        if (claimedBy !== undefined) return { status: 'duplicate', sessionId: claimedBy };
      }
      const sessionKey = `${website}\u0000${change.key}`;
      const current = live(sessions, sessionKey);
      if ((current?.version ?? 0) !== change.expected)
        return { status: 'conflict', current: current === undefined ? null : copyVersioned(current) };
      let isNewVisitor = false;
      if (change.expected === 0) {
        const visitorKey = `${website}\u0000${change.visitor}`;
        isNewVisitor = live(visitors, visitorKey) === undefined;
        put(visitors, visitorKey, true, change.visitorTtlMs);
      }
      // A new session starts above every version this store has given: a process still holding the
      // last version of a session that ended must not commit onto the next one of the same key.
      const version = change.expected === 0 ? topVersion + 1 : change.expected + 1;
      if (version > topVersion) topVersion = version;
      const stored = copySession(change.session);
      if (change.expected === 0 && !isNewVisitor) stored.row.isNewVisitor = false;
      put(sessions, sessionKey, { version, session: stored }, change.ttlMs);
      if (identityKey !== undefined)
        put(identities, identityKey, change.session.row.id, change.identityTtlMs);
      return { status: 'committed', version, isNewVisitor };
    },
  };
}

function copySession(session: SharedSession): SharedSession {
  return { ...session, row: { ...session.row } };
}

function copyVersioned(found: VersionedSession): VersionedSession {
  return { version: found.version, session: copySession(found.session) };
}
