import type { JsErrorDelta, SessionRecord, VisitorRecord, WebsiteConfig } from '../model/records.ts';
import type { Store } from '../store/store.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import { makeWebsite } from './fixtures.ts';

/** What `create` hands to the suite: the store under test and a way to read back what it kept. */
export interface StoreHarness {
  store: Store;
  /** Read back what the store kept, so the suite can check writes the Store interface cannot return. */
  readSessions(website: string): MaybePromise<SessionRecord[]>;
  readVisitors(website: string): MaybePromise<VisitorRecord[]>;
  /** The stored js_errors rows of a website, `count` being the merged total. */
  readJsErrors(website: string): MaybePromise<JsErrorDelta[]>;
  /** Change a website so `watchWebsite` listeners fire (only needed if the store has watchWebsite). */
  updateWebsite?(trackingId: string, patch: Partial<WebsiteConfig>): MaybePromise<void>;
}

export interface DescribeStoreOptions {
  /** Shown in the suite title, e.g. `memory` → `Store conformance: memory`. */
  name: string;
  /** Make a fresh, empty store that knows these websites. Called before each case. */
  create(ctx: { websites: WebsiteConfig[] }): MaybePromise<StoreHarness>;
  /** Called after each case (stop servers, delete temp dirs). The suite calls `store.close()` only in its close case. */
  destroy?(harness: StoreHarness): MaybePromise<void>;
  /** Timeout per case in ms (real servers are slower), default 10000. */
  timeoutMs?: number;
  /**
   * The optional capabilities the store leaves out on purpose. Their cases are replaced by one that
   * checks the store really has none of them (so the list fails the day the store gains one). A
   * capability the store lacks without being listed here has its cases reported as skipped.
   */
  declines?: readonly StoreCapability[];
}

/** The optional `Store` methods; a case that needs one runs only when the store has it. */
export type StoreCapability =
  | 'stats'
  | 'listWebsites'
  | 'getVisitor'
  | 'findSession'
  | 'knownEvents'
  | 'ensureSecret'
  | 'watchWebsite'
  | 'close'
  /** A flag, not a method: the store declares `sessionRevisions: true`. */
  | 'sessionRevisions';

/** What a case body receives: the harness and the two websites the store was created with. */
export interface CaseContext {
  harness: StoreHarness;
  store: Store;
  siteA: WebsiteConfig;
  siteB: WebsiteConfig;
  /** The per-case timeout, for cases that wait on asynchronous delivery. */
  timeoutMs: number;
}

/** One conformance case as a plain async function, so it can run inside or outside `it`. */
export interface StoreCase {
  name: string;
  capability?: StoreCapability;
  run(ctx: CaseContext): Promise<void>;
}

export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

/** Whether `store` has what `storeCase` needs. */
export function caseApplies(storeCase: StoreCase, store: Store): boolean {
  return storeCase.capability === undefined || storeHas(store, storeCase.capability);
}

/** Whether `store` has the method (or, for `sessionRevisions`, sets the flag). */
export function storeHas(store: Store, capability: StoreCapability): boolean {
  const has = store[capability];
  return typeof has === 'function' || has === true;
}

/** `watchWebsite()` for a method, `sessionRevisions` for the flag. */
export function describeCapability(capability: StoreCapability): string {
  return capability === 'sessionRevisions' ? capability : `${capability}()`;
}

/** Why a case did not run: the store lacks what it needs, and does not list it in `declines`. */
export function skipReason(capability: StoreCapability): string {
  return `the store has no ${describeCapability(capability)}; list it in declines if that is on purpose`;
}

/**
 * Create a fresh store with two fresh websites, hand it to `body`, and always `destroy` it after,
 * even when `body` fails (a leaked server would make the next case flaky).
 */
export async function withHarness<T>(
  options: DescribeStoreOptions,
  body: (ctx: CaseContext) => Promise<T>,
): Promise<T> {
  const siteA = makeWebsite({ name: 'Site A', domain: 'a.example', sdkVersion: '1.2.3' });
  const siteB = makeWebsite({
    name: 'Site B',
    domain: 'b.example',
    disableLocalhostTracking: true,
    ipBlacklist: ['203.0.113.7', '10.0.0.0/8'],
    storeRawIp: true,
    discardShortSessions: true,
    dataRetentionDays: 30,
    sdkVersion: '2.0.0',
  });
  const harness = await options.create({ websites: [siteA, siteB] });
  try {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
    return await body({ harness, store: harness.store, siteA, siteB, timeoutMs });
  } finally {
    await options.destroy?.(harness);
  }
}
