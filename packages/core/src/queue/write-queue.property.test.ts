import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeStore, event, jsError, queueOn, session } from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), n: fc.integer({ min: 1, max: 6 }), s: fc.nat(3) }),
  fc.record({ kind: fc.constant('session' as const), s: fc.nat(3) }),
  fc.record({ kind: fc.constant('js' as const), hash: fc.nat(2), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
  fc.record({ kind: fc.constant('fail' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
);

const config = fc.record({
  maxBatchSize: fc.integer({ min: 1, max: 5 }),
  // A store's maxWriteEvents: a backlog goes in larger writes (undefined: every write ≤ maxBatchSize).
  maxWriteEvents: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  batchInterval: fc.constantFrom(0, 50, 1000),
  jsErrorBatchInterval: fc.constantFrom(0, 300, 5000),
  maxQueueSize: fc.integer({ min: 1, max: 30 }),
  store: fc.constantFrom<{ sync?: boolean; delayMs?: number }>({ sync: true }, {}, { delayMs: 30 }),
  jitter: fc.double({ min: 0, max: 0.999, noNaN: true }),
});

describe('write queue: property', () => {
  it('after recovery and close(), the store holds every accepted event exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(config, fc.array(op, { maxLength: 40 }), async (cfg, ops) => {
        vi.clearAllTimers();
        const store = createFakeStore(cfg.store);
        const flushes: Promise<unknown>[] = [];
        const queue = queueOn(store, {
          maxBatchSize: cfg.maxBatchSize,
          ...(cfg.maxWriteEvents === undefined ? {} : { maxWriteEvents: cfg.maxWriteEvents }),
          batchInterval: cfg.batchInterval,
          jsErrorBatchInterval: cfg.jsErrorBatchInterval,
          maxQueueSize: cfg.maxQueueSize,
          // drop-newest: an accepted event is never dropped later, so accepted = must be stored.
          overflow: 'drop-newest',
          retry: { random: () => cfg.jitter },
        });
        const accepted: string[] = [];
        const lastRow = new Map<string, number>();
        const jsCounts = new Map<string, number>();
        let next = 0;
        let version = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            for (let i = 0; i < o.n; i++) {
              const id = `e${next++}`;
              if (queue.addEvent(event(id, `s${o.s}`))) accepted.push(id);
            }
          } else if (o.kind === 'session') {
            queue.putSession(session(`s${o.s}`, ++version));
            lastRow.set(`s${o.s}`, version);
          } else if (o.kind === 'js') {
            queue.addJsError(jsError({ errorHash: `h${o.hash}`, count: o.count }));
            jsCounts.set(`h${o.hash}`, (jsCounts.get(`h${o.hash}`) ?? 0) + o.count);
          } else if (o.kind === 'flush') {
            // Not awaited: with a slow store, time only moves on `advance`.
            flushes.push(queue.flush().catch(() => undefined));
            await Promise.resolve();
          } else if (o.kind === 'fail') {
            store.failNext(o.n);
          } else {
            await vi.advanceTimersByTimeAsync(o.ms);
          }
        }
        // Long enough for any backoff here: the property is about what is stored, not how fast.
        const closing = queue.close({ timeoutMs: 600_000 });
        await vi.runAllTimersAsync();
        expect(await closing).toEqual({ unsaved: 0 });
        await Promise.all(flushes);
        expect(store.storedEventIds()).toEqual(accepted);
        expect(queue.counters().written).toBe(accepted.length);
        const storedRows = new Map<string, number>();
        const mostPerWrite = Math.max(cfg.maxBatchSize, cfg.maxWriteEvents ?? 0);
        for (const b of store.batches) {
          expect(b.events.length).toBeLessThanOrEqual(mostPerWrite);
          expect(new Set(b.sessions.map((s) => s.id)).size).toBe(b.sessions.length);
          for (const s of b.sessions) storedRows.set(s.id, s.eventCount);
        }
        expect(storedRows).toEqual(lastRow);
        const storedJs = new Map<string, number>();
        for (const d of store.batches.flatMap((b) => b.jsErrors)) {
          storedJs.set(d.errorHash, (storedJs.get(d.errorHash) ?? 0) + d.count);
        }
        expect(storedJs).toEqual(jsCounts);
      }),
      { numRuns: 200 },
    );
  });

  it('with events the store refuses among them: every other accepted event stored once, in order; the refused ones counted', async () => {
    await fc.assert(
      fc.asyncProperty(
        config,
        fc.array(
          fc.oneof(op, fc.record({ kind: fc.constant('bad' as const), n: fc.integer({ min: 1, max: 30 }) })),
          { maxLength: 40 },
        ),
        async (cfg, ops) => {
          vi.clearAllTimers();
          const bad = new Set<string>();
          const store = createFakeStore({ ...cfg.store, refuses: (e) => bad.has(e.id) });
          const dropped: string[] = [];
          const queue = queueOn(store, {
            maxBatchSize: cfg.maxBatchSize,
            ...(cfg.maxWriteEvents === undefined ? {} : { maxWriteEvents: cfg.maxWriteEvents }),
            batchInterval: cfg.batchInterval,
            jsErrorBatchInterval: cfg.jsErrorBatchInterval,
            maxQueueSize: 10_000,
            overflow: 'drop-newest',
            retry: { random: () => cfg.jitter },
            onDropped: (reason, _count, events) => {
              if (reason === 'store_rejected') dropped.push(...(events ?? []).map((e) => e.id));
            },
          });
          const good: string[] = [];
          let next = 0;
          const add = (refused: boolean, s: number) => {
            const id = `e${next++}`;
            if (refused) bad.add(id);
            if (queue.addEvent(event(id, `s${s}`)) && !refused) good.push(id);
          };
          for (const o of ops) {
            if (o.kind === 'bad') for (let i = 0; i < o.n; i++) add(true, 0);
            else if (o.kind === 'add') for (let i = 0; i < o.n; i++) add(false, o.s);
            else if (o.kind === 'session') queue.putSession(session(`s${o.s}`, 1));
            else if (o.kind === 'flush') queue.flush().catch(() => undefined);
            else if (o.kind === 'fail') store.failNext(o.n);
            else if (o.kind === 'advance') await vi.advanceTimersByTimeAsync(o.ms);
          }
          // The store tells refused events from an outage only by taking others: one comes last.
          add(false, 1);
          const closing = queue.close({ timeoutMs: 600_000 });
          await vi.runAllTimersAsync();
          expect(await closing).toEqual({ unsaved: 0 });
          expect(store.storedEventIds()).toEqual(good);
          expect(dropped.sort()).toEqual([...bad].sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
