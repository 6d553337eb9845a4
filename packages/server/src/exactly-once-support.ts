import { monitorHttpRequests, monitorWsFrames, SKOPOS_VISIT } from '@skopos/test-utils';
import WebSocket from 'ws';
import type { RunningServer } from './options.ts';
import { BROWSER_HEADERS } from './test-support.ts';

/** The page vite-plugin-monitor's client runs on (a Vite dev server). */
export const APP_ORIGIN = 'http://localhost:5173';

/** Reads and stats from far in the past: the window every comparison uses. */
export const SINCE = '2000-01-01T00:00:00.000Z';

/** The original Skopos SDK's visit: two page views, a custom event, the same JS error twice. */
const VISIT: Record<string, unknown>[] = SKOPOS_VISIT.map((payload) => ({ ...payload }));

/** One write as a client sends it: the JSON body (HTTP) or text frame (WebSocket). */
export interface Batch {
  body: string;
  events: number;
}

export type Transport = 'http' | 'ws';

/** One recorded (or SDK) traffic, sent to its own site so that the sets do not mix. */
export interface Traffic {
  /** The site it is sent to (its events' `appId`/`siteId`). */
  site: string;
  transport: Transport;
  batches: Batch[];
}

/** The site names of the traffic sets, in the order they are sent. */
export const SITES = ['m17-http', 'm17-ws', 'm21-http', 'm21-ws', 'sdk-http', 'sdk-ws'] as const;

function monitorBatches(
  events: Record<string, unknown>[][],
  site: string,
  type: (i: number) => string,
): Batch[] {
  return events.map((list, i) => ({
    body: JSON.stringify({ type: type(i), events: list.map((event) => ({ ...event, appId: site })) }),
    events: list.length,
  }));
}

/**
 * The SDK visit as three batches (landing + custom event, the second page, the two errors), each
 * event with its `eventId` and a client time (`ts`), so that every server stores the same timestamps.
 */
function sdkBatches(site: string, transport: Transport, now: number): Batch[] {
  const events = VISIT.map((payload, i) => ({
    ...payload,
    siteId: site,
    eventId: `visit-${i}`,
    ts: now - 60_000 + i * 7_000,
  }));
  const groups = [events.slice(0, 2), events.slice(2, 3), events.slice(3)];
  return groups.map((list, i) => ({
    // Skopos' WebSocket sender numbers its batches; its HTTP sender posts `{ events }`.
    body: JSON.stringify(
      transport === 'ws' ? { type: 'ingest', id: `b${i}`, events: list } : { events: list },
    ),
    events: list.length,
  }));
}

/** Every traffic set, with timestamps shifted to just before `now` (the same `now` gives the same bytes). */
export function allTraffic(now: number): Traffic[] {
  const traffic: Traffic[] = [];
  for (const version of ['1.7', '2.1'] as const) {
    const tag = version === '1.7' ? 'm17' : 'm21';
    const requests = monitorHttpRequests(version, now);
    traffic.push({
      site: `${tag}-http`,
      transport: 'http',
      batches: monitorBatches(
        requests.map((request) => request.body.events),
        `${tag}-http`,
        (i) => requests[i]?.body.type ?? 'ingest',
      ),
    });
    const frames = monitorWsFrames(version, now);
    traffic.push({
      site: `${tag}-ws`,
      transport: 'ws',
      batches: monitorBatches(
        frames.map((frame) => frame.events),
        `${tag}-ws`,
        (i) => frames[i]?.type ?? 'ingest',
      ),
    });
  }
  traffic.push({ site: 'sdk-http', transport: 'http', batches: sdkBatches('sdk-http', 'http', now) });
  traffic.push({ site: 'sdk-ws', transport: 'ws', batches: sdkBatches('sdk-ws', 'ws', now) });
  return traffic;
}

/** How a server gets each batch: once, twice one after the other, or twice at once on two connections. */
export type Mode = 'once' | 'sequential' | 'parallel';

/**
 * The refusal a client retries: the store could not answer in time (say its word on the identities
 * of a restart's first minutes, with five servers and PocketBases on two loaded cores). Only that
 * one is retried, as a client would, and a retried batch must still read back as sent once.
 */
const STORE_UNAVAILABLE = 'the event store is unavailable';
const RETRIES = 5;

/** Sends until the answer is not `unavailable`, at most `RETRIES` times more, 200 ms apart. */
async function retryUnavailable<T>(send: () => Promise<T>, unavailable: (answer: T) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (!unavailable(answer) || attempt > RETRIES) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function post(server: RunningServer, batch: Batch): Promise<void> {
  const { response, text } = await retryUnavailable(
    async () => {
      const response = await fetch(server.endpoints.write, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', origin: APP_ORIGIN },
        body: batch.body,
      });
      return { response, text: await response.text() };
    },
    ({ response, text }) => response.status === 503 && text.includes(STORE_UNAVAILABLE),
  );
  if (response.status !== 200) throw new Error(`write answered ${response.status}: ${text}`);
  const outcome = JSON.parse(text) as { accepted: number; rejected: unknown[]; dropped: unknown[] };
  if (outcome.accepted !== batch.events || outcome.rejected.length > 0 || outcome.dropped.length > 0) {
    throw new Error(`write did not take the whole batch: ${text}`);
  }
}

/** A WebSocket from the app's page that queues what it receives. */
class Socket {
  readonly #received: Record<string, unknown>[] = [];
  readonly #waiting: ((message: Record<string, unknown>) => void)[] = [];
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url, { headers: { ...BROWSER_HEADERS, origin: APP_ORIGIN } });
    this.ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const waiter = this.#waiting.shift();
      if (waiter) waiter(message);
      else this.#received.push(message);
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  next(): Promise<Record<string, unknown>> {
    const message = this.#received.shift();
    return message ? Promise.resolve(message) : new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Sends a frame and waits for its ack, which must take the whole batch (see `STORE_UNAVAILABLE`). */
  async send(batch: Batch): Promise<void> {
    const ack = await retryUnavailable(
      () => {
        this.ws.send(batch.body);
        return this.next();
      },
      (answer) => answer.type === 'error' && String(answer.reason).includes(STORE_UNAVAILABLE),
    );
    const rejected = ack.rejected as unknown[] | undefined;
    const dropped = ack.dropped as unknown[] | undefined;
    if (ack.type !== 'ack' || ack.saved !== batch.events || rejected?.length || dropped?.length) {
      throw new Error(`frame not taken whole: ${JSON.stringify(ack)}`);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

async function openSocket(server: RunningServer): Promise<Socket> {
  const socket = new Socket(server.endpoints.websocket);
  await socket.opened();
  return socket;
}

/** Sends one traffic set to a server in the given mode (batch by batch, each answer awaited). */
export async function sendTraffic(server: RunningServer, traffic: Traffic, mode: Mode): Promise<void> {
  if (traffic.transport === 'http') {
    for (const batch of traffic.batches) {
      if (mode === 'parallel') await Promise.all([post(server, batch), post(server, batch)]);
      else {
        await post(server, batch);
        if (mode === 'sequential') await post(server, batch);
      }
    }
    return;
  }
  const sockets = await Promise.all(
    Array.from({ length: mode === 'parallel' ? 2 : 1 }, () => openSocket(server)),
  );
  try {
    for (const batch of traffic.batches) {
      if (mode === 'parallel') await Promise.all(sockets.map((socket) => socket.send(batch)));
      else {
        await sockets[0]?.send(batch);
        if (mode === 'sequential') await sockets[0]?.send(batch);
      }
    }
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

/** What a site looks like from outside: its stats and every event read back. */
export interface SiteView {
  stats: Record<string, unknown>;
  events: Record<string, unknown>[];
  total: number;
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Flushes the pipeline (events and JS-error counts), then reads the site's stats and events. `until`
 * is fixed by the caller so that two servers are asked the same window.
 */
export async function viewOf(server: RunningServer, site: string, until: string): Promise<SiteView> {
  await server.skopos.flush();
  await server.skopos.flushJsErrors();
  const window = `site=${site}&since=${SINCE}&until=${until}`;
  // `droppedSince` is when this server started (its drop counts begin then): not the site's data.
  const { droppedSince: _startedAt, ...stats } = await getJson(`${server.endpoints.stats}?${window}&top=100`);
  const read = await getJson(`${server.endpoints.read}?${window}&limit=10000`);
  return {
    stats,
    events: read.events as Record<string, unknown>[],
    total: read.total as number,
  };
}

/** Deep JSON with sorted keys. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** The read-back events with the per-server session ids taken out (see `readShape`). */
export interface ReadShape {
  /** Each event as canonical JSON without `receivedAt`, `session` (and `sessionId` when it is that id), sorted. */
  events: string[];
  /** The events of each session, as sorted lists of those views, the lists sorted: the sessions' shape. */
  sessions: string[][];
}

/**
 * The read-back events, comparable across servers: everything but `receivedAt` (the arrival time)
 * and the session's record id, which is random per server. Which events share a session is kept
 * (as groups of events). Fields named in `drop` are left out too.
 */
export function readShape(events: Record<string, unknown>[], drop: readonly string[] = []): ReadShape {
  const bySession = new Map<string, string[]>();
  const views = events.map((event) => {
    const { receivedAt: _, session, ...rest } = event;
    // Skopos-shaped events read back with the session record's id as their sessionId.
    if (rest.sessionId === session) rest.sessionId = '<session>';
    for (const field of drop) delete rest[field];
    const view = JSON.stringify(canonical(rest));
    const key = String(session);
    bySession.set(key, [...(bySession.get(key) ?? []), view]);
    return view;
  });
  const sessions = [...bySession.values()].map((list) => list.sort());
  sessions.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return { events: views.sort(), sessions };
}
