import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { batchOf, dropStore, freshStore, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();

/** A `fetch` that counts the statements the store sends (one POST each). */
function countingFetch() {
  const statements: string[] = [];
  const counting: typeof fetch = (input, init) => {
    statements.push(String(init?.body ?? ''));
    return fetch(input, init);
  };
  return { counting, statements };
}

describe('clickHouseStore point look-ups', () => {
  it('answer concurrent getVisitor / findSession / knownEvents calls with one statement each', async () => {
    const { counting, statements } = countingFetch();
    const store = await freshStore(server, { fetch: counting });
    const visitors = Array.from({ length: 5 }, () => makeVisitor('site'));
    const sessions = visitors.map((visitor, i) =>
      makeSession(visitor, { lastActivityAt: BASE_TIME + i * 1000 }),
    );
    const events = sessions.map((session) => makeEvent(session));
    // An older session of the last visitor: the latest one answers.
    const older = makeSession(visitors[4] ?? makeVisitor('site'), { lastActivityAt: BASE_TIME + 3000 });
    await store.write(batchOf({ visitors, sessions: [...sessions, older], events }));
    statements.length = 0;

    const since = BASE_TIME + 2000;
    const [found, open, known] = await Promise.all([
      Promise.all([
        ...visitors.map((v) => store.getVisitor('site', v.visitorId)),
        store.getVisitor('site', 'nobody'),
      ]),
      Promise.all(sessions.map((s) => store.findSession('site', s.visitor, since))),
      Promise.all([
        store.knownEvents('site', [events[0]?.id ?? '', 'nope']),
        store.knownEvents('site', [events[1]?.id ?? '']),
      ]),
    ]);
    expect(statements, 'visitors, sessions, event ids').toHaveLength(3);
    expect(found).toEqual([...visitors.map((v) => expect.objectContaining({ id: v.id })), null]);
    expect(open.map((s) => s?.id ?? null)).toEqual(sessions.map((s, i) => (i >= 2 ? s.id : null)));
    expect(known.map((map) => [...map.keys()])).toEqual([[events[0]?.id], [events[1]?.id]]);

    // Each caller's own `since` (NaN finds nothing unasked): one statement, answers as if asked alone.
    statements.length = 0;
    const last = sessions[4];
    const bySince = await Promise.all(
      [BASE_TIME, BASE_TIME + 4000, BASE_TIME + 4001, Number.NaN].map((at) =>
        store.findSession('site', last?.visitor ?? '', at),
      ),
    );
    expect(bySince.map((s) => s?.id ?? null)).toEqual([last?.id, last?.id, null, null]);
    expect(statements).toHaveLength(1);
    await dropStore(server, store);
  });
});
