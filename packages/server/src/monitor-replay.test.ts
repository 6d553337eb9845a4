import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { MAX_WINDOW_EVENTS } from '@skopos/core';
import {
  type MonitorEvent as PeerEvent,
  type MonitorVersion as PeerVersion,
  monitorView as peerView,
  type RecordedRequest,
  monitorHttpRequests as recordedRequests,
} from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PeerQuery, peerRead } from './peer-fixtures.ts';
import { assertBuilt, type CliProcess, startCli, stopLeftovers } from './test-cli.ts';
import { BROWSER_HEADERS } from './test-support.ts';

/** The page vite-plugin-monitor's client runs on (a Vite dev server), another origin than `skopos serve`. */
const APP_ORIGIN = 'http://localhost:5173';

interface ReadEvent extends Record<string, unknown> {
  id: string;
  timestamp: string;
}

interface ReadAnswer {
  events: ReadEvent[];
  total: number;
  page: number;
  limit: number;
}

beforeAll(assertBuilt);
afterAll(stopLeftovers);

async function startServe(): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['serve', '--port', '0']);
  return { cli, url: await cli.waitFor(/listening on (http:\/\/\S+)/) };
}

async function stop(cli: CliProcess): Promise<void> {
  cli.proc.kill('SIGTERM');
  expect(await cli.closed).toBe(0);
}

/** Sends one recorded request as the peer's client does: `fetch` POST, JSON, from the app's page. */
function replay(url: string, recorded: RecordedRequest): Promise<Response> {
  return fetch(`${url}${recorded.path}`, {
    method: recorded.method,
    headers: { ...BROWSER_HEADERS, 'content-type': recorded.contentType, origin: APP_ORIGIN },
    body: JSON.stringify(recorded.body),
  });
}

async function read(url: string, query = ''): Promise<ReadAnswer> {
  // What the peer's dashboard sends: no site, `Accept: application/json`.
  const response = await fetch(`${url}/_tracker${query === '' ? '' : `?${query}`}`, {
    headers: { accept: 'application/json' },
  });
  expect(response.status, query).toBe(200);
  return (await response.json()) as ReadAnswer;
}

/** Reads until the server's 1 s batch wrote `count` events. */
async function readWhenStored(url: string, count: number): Promise<ReadAnswer> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await read(url);
    if (answer.total >= count || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function queryString(query: PeerQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) params.set(key, String(value));
  return params.toString();
}

/** A GET by node:http, which (unlike fetch) hands back the bytes as they came. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ encoding: unknown; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe.each(['1.7', '2.1'] as const)(
  'vite-plugin-monitor %s over HTTP into skopos serve',
  (version: PeerVersion) => {
    let cli: CliProcess;
    let url: string;
    let sent: PeerEvent[];
    let stored: ReadAnswer;

    beforeAll(async () => {
      ({ cli, url } = await startServe());
      const requests = recordedRequests(version);
      sent = requests.flatMap((recorded) => recorded.body.events);
      for (const recorded of requests) {
        const response = await replay(url, recorded);
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
        expect(await response.json()).toEqual({
          accepted: recorded.body.events.length,
          signals: 0,
          dropped: [],
          rejected: [],
        });
      }
      stored = await readWhenStored(url, sent.length);
    });

    afterAll(async () => {
      await stop(cli);
    });

    it('stores every event once with every field the client sent', () => {
      expect(stored.total).toBe(sent.length);
      // Newest first; the recordings arrive in time order, so that is the arrival order reversed.
      expect(stored.events.map(peerView)).toEqual([...sent].reverse().map(peerView));
      expect(stored).toMatchObject({ page: 1, limit: MAX_WINDOW_EVENTS });
    });

    it('gives every event its own string id, stable across reads (2.x sends id "")', async () => {
      const ids = stored.events.map((event) => event.id);
      for (const id of ids) expect(id).toMatch(/^\S+$/);
      expect(new Set(ids).size).toBe(sent.length);
      expect((await read(url)).events.map((event) => event.id)).toEqual(ids);
    });

    it('answers since/until inclusive, after exclusive, newest first, page and limit as the peer does', async () => {
      const times = sent.map((event) => event.timestamp);
      const middle = times[Math.floor(times.length / 2)] as string;
      const queries: PeerQuery[] = [
        { since: times[1] as string, until: middle },
        { since: middle, until: middle },
        { after: middle },
        { since: times[0] as string, after: times[2] as string, until: times[times.length - 2] as string },
        { limit: 4 },
        { limit: 4, page: 2 },
        { since: times[0] as string, limit: 5, page: 3 },
        { limit: 4, page: 99 },
      ];
      for (const query of queries) {
        const expected = peerRead(sent, query);
        const answer = await read(url, queryString(query));
        expect(answer.events.map(peerView), JSON.stringify(query)).toEqual(expected.events.map(peerView));
        expect(answer.total, JSON.stringify(query)).toBe(expected.total);
        expect(answer.page).toBe(query.page ?? 1);
      }
    });

    it('gzips the read answer when asked, and only then', async () => {
      const gzipped = await rawGet(`${url}/_tracker`, { 'accept-encoding': 'gzip' });
      expect(gzipped.encoding).toBe('gzip');
      const unzipped = JSON.parse(gunzipSync(gzipped.body).toString('utf8')) as ReadAnswer;
      expect(unzipped.events.map(peerView)).toEqual(stored.events.map(peerView));
      const plain = await rawGet(`${url}/_tracker`, {});
      expect(plain.encoding).toBeUndefined();
      expect((JSON.parse(plain.body.toString('utf8')) as ReadAnswer).total).toBe(sent.length);
    });
  },
);

describe('skopos serve and vite-plugin-monitor’s client', () => {
  let cli: CliProcess;
  let url: string;

  beforeAll(async () => {
    ({ cli, url } = await startServe());
  });

  afterAll(async () => {
    await stop(cli);
  });

  it('passes the credentialed preflight of a beacon with a JSON Blob, then takes the beacon', async () => {
    const preflight = await fetch(`${url}/_tracker/events`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(preflight.headers.get('vary')).toContain('Origin');
    const [recorded] = recordedRequests('2.1');
    const beacon = await fetch(`${url}/_tracker/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', origin: APP_ORIGIN },
      body: new Blob([JSON.stringify(recorded?.body)], { type: 'application/json' }),
      credentials: 'include',
    });
    expect(beacon.status).toBe(200);
    expect(beacon.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await beacon.json()).toMatchObject({ accepted: recorded?.body.events.length, rejected: [] });
  });

  it('does not let an invalid event block its batch: 200, the others stored, the reason named', async () => {
    const events = recordedRequests('2.1')[0]?.body.events.slice(0, 3) ?? [];
    const broken = { ...events[1], type: 'session', payload: { action: 'pause' }, appId: 'batch-app' };
    const batch = [{ ...events[0], appId: 'batch-app' }, broken, { ...events[2], appId: 'batch-app' }];
    const response = await fetch(`${url}/_tracker/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ type: 'ingest', events: batch }),
    });
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as {
      accepted: number;
      rejected: { index: number; issues: { field: string; reason: string }[] }[];
    };
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0]?.index).toBe(1);
    expect(outcome.rejected[0]?.issues.map((issue) => issue.field)).toContain('events.1.payload.action');
    const deadline = Date.now() + 15_000;
    let answer = await read(url, 'appId=batch-app');
    while (answer.total < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await read(url, 'appId=batch-app');
    }
    expect(answer.events.map(peerView)).toEqual(
      [batch[2], batch[0]].map((event) => peerView(event as PeerEvent)),
    );
  });

  it("takes any app id as its site, as vite-plugin-monitor's own server does ('My Shop — Zürich')", async () => {
    const appId = 'My Shop — Zürich';
    const events = (recordedRequests('2.1')[0]?.body.events.slice(0, 2) ?? []).map((event) => ({
      ...event,
      appId,
    }));
    const response = await fetch(`${url}/_tracker/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', origin: APP_ORIGIN },
      body: JSON.stringify({ type: 'ingest', events }),
    });
    expect(await response.json()).toMatchObject({ accepted: 2, rejected: [] });
    // The memory store is written at once: the next read has them.
    const answer = await read(url, `appId=${encodeURIComponent(appId)}`);
    expect(answer.total).toBe(2);
    expect(answer.events.map(peerView)).toEqual(
      expect.arrayContaining(events.map((event) => peerView(event as PeerEvent))),
    );
  });
});
