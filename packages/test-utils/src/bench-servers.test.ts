import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_HEADERS } from './browser-headers.ts';
import { startProcess, stopLeftovers } from './watched-process.ts';

// The servers bench/ingest.mjs measures are plain scripts over the built packages, which no other
// test runs: a change of a package's contract (a required pipeline member, an option renamed) can
// break one of them unseen until someone runs the bench. Each one here starts, takes one batch the
// way the bench's load does, and reports it on SIGTERM.

const benchDir = fileURLToPath(new URL('../../../bench/', import.meta.url));
const ingestDir = fileURLToPath(new URL('../../../bench/ingest/', import.meta.url));
afterEach(stopLeftovers);

interface BenchServer {
  port: number;
  /** SIGTERM, then the counters the script prints as one JSON line. */
  stop(): Promise<Record<string, unknown>>;
}

async function startBenchServer(script: string): Promise<BenchServer> {
  const server = startProcess(process.execPath, [script, '0'], { cwd: ingestDir });
  const { port } = JSON.parse(await server.waitFor(/^(\{"port":\d+\})$/)) as { port: number };
  return {
    port,
    async stop() {
      server.proc.kill('SIGTERM');
      const report = JSON.parse(await server.waitFor(/^(\{"accepted".*\})$/));
      await server.closed;
      return report as Record<string, unknown>;
    },
  };
}

/** One batch of 25 page views, each with its own 20-character id, as the bench's load sends. */
function batchEvents(): Array<Record<string, string>> {
  return Array.from({ length: 25 }, (_, i) => ({
    type: 'pageView',
    url: `https://example.com/p/${i}`,
    eventId: `smoke${String(i).padStart(15, '0')}`,
  }));
}

/** The bench's own `ws` client (a dependency of bench/, not of this package), as its load uses it. */
interface WsClient {
  once(event: 'open', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  once(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'close', listener: () => void): void;
  send(data: string): void;
  close(): void;
}
const WebSocketClient = createRequire(ingestDir)('ws') as new (
  url: string,
  options: { headers: Record<string, string> },
) => WsClient;

/** Sends one `ingest` message of 25 events as the bench's WebSocket load does; answers the reply. */
async function ingestOverWebSocket(port: number): Promise<Record<string, unknown>> {
  const ws = new WebSocketClient(`ws://127.0.0.1:${port}/_tracker/ws`, {
    // A browser's handshake from the page (no `accept`; fetch metadata of a WebSocket), as the bench's.
    headers: {
      'user-agent': BROWSER_HEADERS['user-agent'] as string,
      'accept-language': 'en-US,en;q=0.9',
      origin: 'https://example.com',
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'websocket',
      'sec-fetch-dest': 'websocket',
      'x-forwarded-for': '198.18.0.1',
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    // A socket that fails or closes first fails the test at once rather than at its timeout.
    const reply = new Promise<Buffer>((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
      ws.once('close', () => reject(new Error('the WebSocket closed before its reply')));
    });
    ws.send(JSON.stringify({ type: 'ingest', id: 'q1', events: batchEvents() }));
    return JSON.parse((await reply).toString()) as Record<string, unknown>;
  } finally {
    ws.close();
  }
}

describe('the bench/ingest servers run against the built packages', () => {
  it.each([
    'baseline-server.mjs',
    'plumbing-server.mjs',
    'hono-server.mjs',
    'express-server.mjs',
    'serve-server.mjs',
  ])('%s takes a batch and reports it', async (script) => {
    const server = await startBenchServer(script);
    const response = await fetch(`http://127.0.0.1:${server.port}/_tracker/events`, {
      method: 'POST',
      headers: {
        ...BROWSER_HEADERS,
        'content-type': 'application/json',
        origin: 'https://example.com',
        'x-forwarded-for': '198.18.0.1',
      },
      body: JSON.stringify({ events: batchEvents() }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(25);
    const report = await server.stop();
    expect(report.accepted).toBe(25);
    if ('stored' in report) expect(report.stored).toBe(25);
  });

  it('ws-server.mjs takes an ingest message and reports it', async () => {
    const server = await startBenchServer('ws-server.mjs');
    // What bench/ingest.mjs's WebSocket load counts: the ack's `saved`.
    expect(await ingestOverWebSocket(server.port)).toMatchObject({ type: 'ack', id: 'q1', saved: 25 });
    expect(await server.stop()).toMatchObject({ accepted: 25, stored: 25 });
  });
});

describe('bench/ingest.mjs', () => {
  it('loads a server and the baseline and prints their figures', async () => {
    const run = startProcess(process.execPath, ['ingest.mjs'], {
      cwd: benchDir,
      env: { ...process.env, BENCH_ONLY: 'serve http floor', BENCH_ROUNDS: '1', BENCH_SECONDS: '1' },
      // Its own process group: a run the test has to stop (a timeout) takes its servers along.
      detached: true,
    });
    const floor = await run.waitFor(/^ingest serve http floor events\/s: ([\d,]+) \(ratio/);
    expect(Number(floor.replaceAll(',', ''))).toBeGreaterThan(0);
    expect(await run.closed).toBe(0);
    expect(run.stdout.some((line) => /^ingest baseline node:http events\/s: [\d,]+/.test(line))).toBe(true);
  }, 60_000);
});

describe('bench/serve-ab.mjs', () => {
  it('compares this checkout with itself (an A/A run) and stops both servers', async () => {
    const run = startProcess(process.execPath, ['serve-ab.mjs'], {
      cwd: benchDir,
      env: { ...process.env, BENCH_PAIRS: '1', BENCH_SECONDS: '1' },
      // Its own process group: a run the test has to stop (a timeout) takes its two servers along.
      // A run that fails stops them itself (its `finally`).
      detached: true,
    });
    const ratio = await run.waitFor(/ratio this\/baseline \(median over pairs\): main thread (\d+\.\d+)/);
    expect(Number(ratio)).toBeGreaterThan(0);
    expect(await run.closed).toBe(0);
    const figures = run.stdout.find((line) => line.startsWith('serve A/B CPU µs/event'));
    // Both builds are this one: a figure for each, from windows that accepted events.
    expect(figures).toMatch(
      /this \d+\.\d+, baseline \d+\.\d+; main thread: this \d+\.\d+, baseline \d+\.\d+$/,
    );
  }, 60_000);
});
