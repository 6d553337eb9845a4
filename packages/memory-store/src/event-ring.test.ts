import {
  type EventLevel,
  type EventRecord,
  emptyBatch,
  type SessionRecord,
  type WriteBatch,
} from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryStore } from './memory-store.ts';

const ODD_LEVEL: string = 'fatal';
const batch = (parts: Partial<WriteBatch>): WriteBatch => ({ ...emptyBatch(), ...parts });
const session = makeSession(makeVisitor('site1'));
const at = (i: number, overrides: Partial<EventRecord> = {}): EventRecord =>
  makeEvent(session, { timestamp: BASE_TIME + i, path: `/p${i}`, ...overrides });
const allIds = (store: MemoryStore): string[] => store.query({ limit: 1000 }).events.map((event) => event.id);

describe('memory store event buffer', () => {
  it('evicts the oldest events first once maxBufferSize is reached', () => {
    const store = memoryStore({ maxBufferSize: 3 });
    const events = [0, 1, 2, 3, 4].map((i) => at(i));
    store.write(batch({ sessions: [session], events: events.slice(0, 2) }));
    store.write(batch({ events: events.slice(2) }));
    expect(allIds(store)).toEqual(events.slice(2).map((event) => event.id));
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(2);
    // Inserted late but old-stamped: still the next to go, since eviction follows arrival.
    const late = at(-100);
    const newest = at(5);
    store.write(batch({ events: [late] }));
    store.write(batch({ events: [newest] }));
    expect(allIds(store), 'query sorts by time; the buffer kept the 3 latest arrivals').toEqual([
      late.id,
      events[4]?.id,
      newest.id,
    ]);
    expect(store.evicted).toBe(4);
  });

  it('gives back every field of an event, its eventData and any id format', () => {
    const store = memoryStore();
    const row: SessionRecord = { ...session, ipAddress: '203.0.113.9', duration: 12.5, screenWidth: 390 };
    const events: EventRecord[] = [
      at(1, { id: '000000000000000' }),
      at(2, {
        id: 'zzzzzzzzzzzzzzz',
        type: 'custom',
        eventName: 'signup',
        eventData: { plan: 'pro', n: [1, 2] },
      }),
      at(3, { id: 'custom-id-from-elsewhere', type: 'click', eventData: {} }),
      at(4, { id: 'ABCDEFGHIJKLMNO', path: '/ünïcode?q=1#x', eventName: 'x'.repeat(100) }),
      at(5, {
        type: 'jsError',
        eventName: 'TypeError: boom',
        eventData: { nested: { deep: [null, true, 0.25] } },
      }),
    ];
    store.write(batch({ sessions: [row], events }));
    const read = store.query({}).events;
    expect(read).toStrictEqual(events);
    expect(store.readSessions()).toStrictEqual([row]);
  });

  it('gives a reused slot only what its new event has (no eventData or detail of the evicted one)', () => {
    const store = memoryStore({ maxBufferSize: 2 });
    const rich = at(0, { eventData: { plan: 'pro' }, payload: { a: 1 }, groupId: 'g' });
    store.write(batch({ sessions: [session], events: [rich, at(1)] }));
    store.write(batch({ events: [at(2), at(3, { eventData: { plan: 'free' } })] }));
    const held = store.query({ limit: 10 }).events.sort((a, b) => a.timestamp - b.timestamp);
    expect(held.map((event) => [event.eventData, event.payload, event.groupId])).toEqual([
      [undefined, undefined, undefined],
      [{ plan: 'free' }, undefined, undefined],
    ]);
    expect(store.query({ limit: 10, search: 'pro' }).events).toHaveLength(0);
    expect(store.query({ limit: 10, search: 'free' }).events).toHaveLength(1);
  });

  it('stores eventData by value: changing the written object later changes nothing', () => {
    const store = memoryStore();
    const data = { plan: 'pro' };
    store.write(batch({ events: [at(1, { eventData: data })] }));
    data.plan = 'free';
    expect(store.query({}).events[0]?.eventData).toEqual({ plan: 'pro' });
  });

  it('skips an event whose id is among the last dedupeWindow ids, and only those', () => {
    const store = memoryStore({ dedupeWindow: 2 });
    const [e1, e2, e3] = [at(1), at(2), at(3)];
    store.write(batch({ events: [e1, e2, e2] }));
    store.write(batch({ events: [e2, e1] }));
    expect(allIds(store), 'a retried batch adds nothing').toEqual([e1.id, e2.id]);
    store.write(batch({ events: [e3, e1] }));
    // e1 left the 2-id window when e3 arrived: documented limit of the bounded window.
    expect(allIds(store)).toEqual([e1.id, e1.id, e2.id, e3.id]);
  });

  it('discarding a session leaves tombstones that are reused first and never counted as evicted', () => {
    const store = memoryStore({ maxBufferSize: 4 });
    const short = makeSession(makeVisitor('site1'));
    const doomed = [
      makeEvent(short, { timestamp: BASE_TIME }),
      makeEvent(short, { timestamp: BASE_TIME + 1 }),
    ];
    const kept = [at(2), at(3), at(4), at(5)];
    store.write(batch({ sessions: [session, short], events: [...doomed, ...kept.slice(0, 2)] }));
    store.write(batch({ discardedSessions: [short.id] }));
    expect(store.size).toBe(2);
    expect(store.readSessions().map((row) => row.id)).toEqual([session.id]);
    store.write(batch({ events: kept.slice(2) }));
    expect(store.size).toBe(4);
    expect(store.evicted).toBe(0);
    expect(allIds(store)).toEqual(kept.map((event) => event.id));
  });

  it('keeps buffering past its first allocation and wraps around in order', () => {
    const store = memoryStore({ maxBufferSize: 3000 });
    const events = Array.from({ length: 4500 }, (_, i) => at(i));
    for (let i = 0; i < events.length; i += 100) store.write(batch({ events: events.slice(i, i + 100) }));
    expect(store.size).toBe(3000);
    const read = [
      ...store.query({ limit: 1000 }).events,
      ...store.query({ since: BASE_TIME + 2500, limit: 1000 }).events,
    ];
    expect(read[0]?.id).toBe(events[1500]?.id);
    expect(read.at(-1)?.id).toBe(events[3499]?.id);
    expect(store.query({ since: BASE_TIME + 4499 }).events).toEqual([events[4499]]);
  });

  it('gives back every 0.2 field: receive time, clock flag, app, level, client ids, group, context, payload, meta', () => {
    const store = memoryStore();
    const meta = { route: '/cart', userAgent: 'UA', userAttributes: { plan: 'pro', tags: ['a'] } };
    const events: EventRecord[] = [
      at(1, {
        type: 'http',
        receivedAt: BASE_TIME + 250.5,
        clockAdjusted: true,
        appId: 'my-app',
        level: 'warn',
        clientSessionId: 'sess_1',
        userId: 'user-42',
        groupId: 'grp_1',
        context: { tenant: 'acme' },
        payload: { method: 'POST', status: 500, args: [null, { deep: true }] },
        meta,
      }),
      at(2, { type: 'click', level: 'debug', clockAdjusted: false, meta }),
      at(3, { type: 'console', payload: { message: 'x' } }),
      at(4, { type: 'custom', groupId: 'grp_2', receivedAt: 0 }),
      // Outside the EventLevel type, e.g. from a hand-written batch: still given back as written.
      at(5, { level: ODD_LEVEL as EventLevel, userId: 'sess_1' }),
    ];
    store.write(batch({ sessions: [session], events }));
    expect(store.query({}).events).toStrictEqual(events);
  });

  it('hands out fresh objects for meta and context shared between events', () => {
    const store = memoryStore();
    const shared = { meta: { route: '/a' }, context: { tenant: 'acme' } };
    store.write(batch({ events: [at(1, shared), at(2, shared)] }));
    const [first] = store.query({}).events;
    if (first?.meta) first.meta.route = '/changed';
    if (first?.context) first.context.tenant = 'changed';
    expect(store.query({}).events.map((event) => [event.meta, event.context])).toEqual([
      [{ route: '/a' }, { tenant: 'acme' }],
      [{ route: '/a' }, { tenant: 'acme' }],
    ]);
  });

  it('keeps the detail of later events when the events sharing it are evicted', () => {
    const store = memoryStore({ maxBufferSize: 2 });
    const meta = { route: '/a', userAttributes: { plan: 'pro' } };
    const events = [0, 1, 2, 3].map((i) => at(i, { type: 'click', meta, payload: { n: i } }));
    for (const event of events) store.write(batch({ events: [event] }));
    expect(store.query({}).events).toStrictEqual(events.slice(2));
    const next = at(4, { type: 'click', meta, userId: 'u' });
    store.write(batch({ events: [next] }));
    expect(store.query({}).events).toStrictEqual([events[3], next]);
  });
});
