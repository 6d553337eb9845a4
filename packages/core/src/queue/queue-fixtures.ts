/** Test fixtures for the write queue: a scriptable fake store and record factories. */
import { SkoposError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventRecord, JsErrorDelta, SessionRecord, VisitorRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import type { WriteQueue, WriteQueueOptions } from './types.ts';
import { createWriteQueue } from './write-queue.ts';

export interface FakeStore {
  /** Batches the store accepted, in order (deep copies). */
  readonly batches: WriteBatch[];
  /** Every call to `write`, accepted or not. */
  attempts: number;
  write(batch: WriteBatch): Promise<void> | void;
  /** The next `n` writes throw. */
  failNext(n: number): void;
  /** Every write throws until called with `false`. */
  failAlways(on: boolean): void;
  /** Writes wait until `release()` (then succeed or fail as scripted). */
  hold(): void;
  release(): void;
  /** Writes never settle. */
  hang(): void;
  storedEventIds(): string[];
}

/**
 * `sync: true` answers without a promise, like a synchronous custom store; `delayMs` settles each
 * write on a timer, so that adds and flushes overlap writes in flight; `refuses` names events the
 * store refuses for their data (`store_rejected`, the whole write).
 */
export function createFakeStore(
  options: { sync?: boolean; delayMs?: number; refuses?: (event: EventRecord) => boolean } = {},
): FakeStore {
  let failures = 0;
  let failing = false;
  let hanging = false;
  let gate: Promise<void> | null = null;
  let open: (() => void) | null = null;

  const apply = (batch: WriteBatch): void => {
    if (failing || failures > 0) {
      if (failures > 0) failures--;
      throw new Error('store down');
    }
    const refused = options.refuses === undefined ? undefined : batch.events.find(options.refuses);
    if (refused !== undefined) throw new SkoposError('store_rejected', `refused ${refused.id}`);
    store.batches.push(structuredClone(batch));
  };

  const store: FakeStore = {
    batches: [],
    attempts: 0,
    write(batch) {
      store.attempts++;
      if (hanging) return new Promise<void>(() => {});
      if (gate !== null) return gate.then(() => apply(batch));
      if (options.sync) return apply(batch);
      const { delayMs } = options;
      if (delayMs !== undefined) {
        return new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => apply(batch));
      }
      return Promise.resolve().then(() => apply(batch));
    },
    failNext(n) {
      failures = n;
    },
    failAlways(on) {
      failing = on;
    },
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release() {
      open?.();
      gate = null;
      open = null;
    },
    hang() {
      hanging = true;
    },
    storedEventIds: () => store.batches.flatMap((b) => b.events.map((e) => e.id)),
  };
  return store;
}

export interface RecordingLogger extends Logger {
  lines: { level: string; message: string }[];
  count(level: string, includes?: string): number;
}

export function createRecordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    count: (level, includes = '') =>
      lines.filter((l) => l.level === level && l.message.includes(includes)).length,
  };
}

/** A queue on `store` with test-friendly defaults (timed mode, 1 s interval, no jitter surprises). */
export function queueOn(
  store: Pick<FakeStore, 'write'>,
  overrides: Partial<WriteQueueOptions> = {},
): WriteQueue {
  return createWriteQueue({
    write: (batch) => store.write(batch),
    maxBatchSize: 100,
    batchInterval: 1000,
    jsErrorBatchInterval: 60_000,
    maxQueueSize: 10_000,
    overflow: 'drop-oldest',
    retry: { random: () => 0.5 },
    logger: createRecordingLogger(),
    ...overrides,
  });
}

export function event(id: string, session = 's1'): EventRecord {
  return { id, session, website: 'w1', type: 'pageView', path: '/', eventName: '', timestamp: 1 };
}

export function events(count: number, prefix = 'e', session = 's1'): EventRecord[] {
  return Array.from({ length: count }, (_, i) => event(`${prefix}${i}`, session));
}

export function session(id: string, eventCount: number): SessionRecord {
  return {
    id,
    website: 'w1',
    visitor: 'v1',
    browser: 'Firefox',
    os: 'Linux',
    device: 'desktop',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en',
    entryPath: '/',
    exitPath: '/',
    referrer: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    country: '',
    state: '',
    isNewVisitor: true,
    eventCount,
    pageViews: eventCount,
    isEngaged: eventCount > 1,
    startedAt: 1,
    lastActivityAt: 1,
    duration: 0,
  };
}

export function visitor(fields: Partial<VisitorRecord> = {}): VisitorRecord {
  return { id: 'v1', website: 'w1', visitorId: 'hash', ...fields };
}

export function jsError(fields: Partial<JsErrorDelta> = {}): JsErrorDelta {
  return {
    website: 'w1',
    session: 's1',
    errorHash: 'h1',
    errorMessage: 'TypeError: x is undefined',
    stackTrace: 'at f (app.js:1:1)',
    url: 'https://example.com/',
    count: 1,
    firstSeen: 100,
    lastSeen: 100,
    pages: ['/'],
    ...fields,
  };
}
