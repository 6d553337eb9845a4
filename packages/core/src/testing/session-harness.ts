import type { SessionCommit, SessionStore, SharedSession } from '../session/session-store.ts';
import { newId } from '../util/ids.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import { ConformanceError } from './assert.ts';
import { BASE_TIME, makeSession, makeVisitor } from './fixtures.ts';

export interface DescribeSessionStoreOptions {
  /** Shown in the suite title, e.g. `redis` → `SessionStore conformance: redis`. */
  name: string;
  /** Make a store to test. Called before each case; every case uses websites of its own. */
  create(): MaybePromise<SessionStore>;
  /** Called after each case, even a failed one (close clients, stop servers). */
  destroy?(store: SessionStore): MaybePromise<void>;
  /** Timeout per case in ms (the TTL cases wait about a second), default 10000. */
  timeoutMs?: number;
}

/** What a case body receives. */
export interface SessionCaseContext {
  store: SessionStore;
  /** The per-case timeout: cases that wait for an expiry poll until a deadline within it. */
  timeoutMs: number;
}

/** One conformance case as a plain async function, so it can run inside or outside `it`. */
export interface SessionStoreCase {
  name: string;
  /** An optional method the case needs; a store without it reports the case as skipped. */
  capability?: 'ensureSecret';
  run(ctx: SessionCaseContext): Promise<void>;
}

export const DEFAULT_SESSION_CASE_TIMEOUT_MS = 10_000;

/** Create a store, hand it to `body`, and always `destroy` it after, even when `body` fails. */
export async function withSessionStore(
  options: DescribeSessionStoreOptions,
  body: (ctx: SessionCaseContext) => Promise<void>,
): Promise<void> {
  const store = await options.create();
  try {
    await body({ store, timeoutMs: options.timeoutMs ?? DEFAULT_SESSION_CASE_TIMEOUT_MS });
  } finally {
    await options.destroy?.(store);
  }
}

/** A fresh website id: cases never see each other's sessions, even on a store shared between them. */
export const freshSite = (): string => `site-${newId()}`;

/** TTLs long enough never to expire during a case (the TTL cases pass their own). */
export const LONG_TTL_MS = 600_000;

/** A live session of a fresh visitor of `website`, every row field set. */
export function makeSharedSession(website: string, overrides: Partial<SharedSession> = {}): SharedSession {
  return {
    row: makeSession(makeVisitor(website)),
    visibleSeconds: 0,
    reportsVisibleTime: false,
    lastSeen: BASE_TIME,
    ...overrides,
  };
}

/** A commit creating (`expected: 0`) the session `key` of `website`, with long TTLs unless overridden. */
export function makeCommit(website: string, overrides: Partial<SessionCommit> = {}): SessionCommit {
  const session = overrides.session ?? makeSharedSession(website);
  return {
    website,
    key: `key-${newId()}`,
    expected: 0,
    session,
    visitor: session.row.visitor,
    identity: `event-${newId()}`,
    ttlMs: LONG_TTL_MS,
    identityTtlMs: LONG_TTL_MS,
    visitorTtlMs: LONG_TTL_MS,
    ...overrides,
  };
}

/** The session one more event makes of `session` (what an ingest process computes). */
export function nextEvent(session: SharedSession, at = session.lastSeen + 1_000): SharedSession {
  return {
    ...session,
    row: { ...session.row, eventCount: session.row.eventCount + 1, lastActivityAt: at },
    lastSeen: at,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Poll `condition` every `intervalMs` until it is true; fail with `what` after `timeoutMs`.
 * Expiry is awaited as a condition (a fixed sleep would pass or fail by the machine's load).
 */
export async function pollUntil(
  what: string,
  condition: () => MaybePromise<boolean>,
  { timeoutMs, intervalMs = 20 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) {
      throw new ConformanceError(`${what}: still not the case after ${timeoutMs} ms`, false, true);
    }
    await pause(intervalMs);
  }
}

/** Waits `ms` (between steps of a case, never as the thing asserted). */
export const sleep = pause;
