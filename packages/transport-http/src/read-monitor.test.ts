import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { monitorEvent, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

interface ReadEvent {
  id: string;
  timestamp: string;
  level: string;
  type: string;
  appId: string;
  sessionId: string;
  userId: string;
  payload: Record<string, unknown>;
  meta: { route: string };
}

interface Answer {
  events: ReadEvent[];
  total: number;
  page: number;
  limit: number;
  nextCursor?: string;
}

async function read(query: string): Promise<Answer> {
  const response = await fetch(`${server.base}?${query}`);
  expect(response.status, query).toBe(200);
  return (await response.json()) as Answer;
}

/** Five clicks one second apart, the last a minute ago; answers their ISO timestamps, oldest first. */
async function seedFive(): Promise<string[]> {
  const start = Date.now() - 65_000;
  const times = [0, 1, 2, 3, 4].map((i) => start + i * 1000);
  const events = times.map((at, i) => monitorEvent(at, { payload: { tag: 'button', text: `b${i}` } }));
  const response = await server.post({ type: 'ingest', events });
  expect(await response.json()).toMatchObject({ accepted: 5 });
  await server.skopos.flush();
  return times.map((at) => new Date(at).toISOString());
}

const texts = (answer: Answer): unknown[] => answer.events.map((event) => event.payload.text);

describe('GET /_tracker in vite-plugin-monitor’s semantics', () => {
  it('answers newest first, since and until inclusive, after exclusive, the whole window without limit', async () => {
    server = await startTestServer();
    const t = await seedFive();
    const all = await read('');
    expect(texts(all)).toEqual(['b4', 'b3', 'b2', 'b1', 'b0']);
    expect(all).toMatchObject({ total: 5, page: 1, limit: 500_000 });
    expect(all.nextCursor).toBeUndefined();
    expect(all.events.map((event) => event.timestamp)).toEqual([...t].reverse());
    expect(texts(await read(`since=${t[1]}&until=${t[3]}`))).toEqual(['b3', 'b2', 'b1']);
    expect(texts(await read(`since=${t[2]}&until=${t[2]}`))).toEqual(['b2']);
    expect(texts(await read(`after=${t[1]}`))).toEqual(['b4', 'b3', 'b2']);
    expect(texts(await read(`since=${t[1]}&after=${t[2]}&until=${t[4]}`))).toEqual(['b4', 'b3']);
    expect(texts(await read('order=asc'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    // A range that ends before it starts holds nothing, as vite-plugin-monitor's server answers.
    expect(await read(`since=${t[3]}&until=${t[1]}`)).toMatchObject({ events: [], total: 0, page: 1 });
  });

  it('pages with limit and a 1-based page, total counting every match', async () => {
    server = await startTestServer();
    await seedFive();
    const second = await read('limit=2&page=2');
    expect(texts(second)).toEqual(['b2', 'b1']);
    expect(second).toMatchObject({ total: 5, page: 2, limit: 2 });
    expect(texts(await read('limit=2&page=3'))).toEqual(['b0']);
    expect(texts(await read('limit=2&page=4'))).toEqual([]);
    // Skopos' cursor paging works in either order.
    const first = await read('limit=2');
    expect(texts(await read(`limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`))).toEqual([
      'b2',
      'b1',
    ]);
  });

  it('answers every event with the peer’s fields and a unique id, stable across reads', async () => {
    server = await startTestServer();
    await seedFive();
    const once = await read('');
    const again = await read('');
    const ids = once.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^\S+$/);
    expect(again.events.map((event) => event.id)).toEqual(ids);
    expect(once.events[0]).toMatchObject({
      level: 'info',
      type: 'click',
      appId: SITE.trackingId,
      sessionId: 'sess_1',
      userId: 'anon_1',
      payload: { tag: 'button', text: 'b4' },
      meta: { route: '/shop', viewport: '1280x720', language: 'en-US', userAgent: 'Mozilla/5.0' },
    });
  });

  it('filters by type, level, userId, sessionId, groupId, appId and search, across every site', async () => {
    server = await startTestServer({}, { websites: [SITE, { trackingId: 'other-app' }] });
    const at = Date.now() - 10_000;
    const response = await server.post({
      type: 'ingest',
      events: [
        monitorEvent(at),
        monitorEvent(at + 1, {
          type: 'error',
          level: 'error',
          userId: 'u-42',
          sessionId: 'sess_2',
          groupId: 'g-1',
          payload: { message: 'Boom in checkout' },
        }),
        monitorEvent(at + 2, {}, 'other-app'),
      ],
    });
    expect(await response.json()).toMatchObject({ accepted: 3 });
    await server.skopos.flush();
    expect((await read('')).total).toBe(3);
    expect((await read('appId=other-app')).events.map((event) => event.appId)).toEqual(['other-app']);
    expect((await read(`site=${SITE.trackingId}`)).total).toBe(2);
    for (const filter of [
      'type=error',
      'level=error',
      'userId=u-42',
      'sessionId=sess_2',
      'groupId=g-1',
      'search=checkout',
    ]) {
      const answer = await read(filter);
      expect(
        answer.events.map((event) => event.type),
        filter,
      ).toEqual(['error']);
    }
  });

  it('finds events by a group id longer than the 128 characters stored, as the app knows it', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const at = Date.now() - 10_000;
    // vite-plugin-monitor's group ids: grp_<label>_<counter>_<time>, the unique part last.
    const groups = [1, 2].map((n) => `grp_${'checkout step '.repeat(12)}_${n}_${at}`);
    const response = await server.post({
      type: 'ingest',
      events: groups.map((groupId, i) => monitorEvent(at + i, { groupId })),
    });
    expect(await response.json()).toMatchObject({ accepted: 2 });
    await server.skopos.flush();
    for (const [i, groupId] of groups.entries()) {
      const answer = await read(`groupId=${encodeURIComponent(groupId)}`);
      expect(answer.events.map((event) => event.timestamp)).toEqual([new Date(at + i).toISOString()]);
    }
  });
});

/** A GET by node:http, which (unlike fetch) hands back the bytes as they came. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('read compression', () => {
  it('gzips a read answer when asked, and only then', async () => {
    server = await startTestServer();
    await seedFive();
    const gzipped = await rawGet(server.base, { 'accept-encoding': 'gzip, deflate, br' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toContain('Accept-Encoding');
    const answer = JSON.parse(gunzipSync(gzipped.body).toString('utf8')) as Answer;
    expect(answer.total).toBe(5);
    const plain = await rawGet(server.base, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.body.toString('utf8')) as Answer).total).toBe(5);
    const refused = await rawGet(server.base, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });
});
