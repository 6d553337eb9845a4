import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickHouseStore } from '@skopos/clickhouse-store';
import {
  type ClickHouseServer,
  type RedisTestServer,
  startClickHouse,
  startRedisServer,
} from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SCALE_SITE,
  singleNodeStats,
  statsFacts,
  type VisitBatch,
  visitorIp,
  visits,
} from './scale-out-traffic.ts';
import { assertBuilt, type CliProcess, startCli, stopLeftovers } from './test-cli.ts';
import { BROWSER_HEADERS } from './test-support.ts';

// Four `skopos serve` processes on one ClickHouse and one Redis (Debian's packages, started here on
// 127.0.0.1 with temporary directories), behind a round-robin "load balancer" without stickiness.

const NODES = 4;
const VISITORS = 240;
const DATABASE = 'scale_out';

let clickhouse: ClickHouseServer;
let redis: RedisTestServer;
let root: string;

beforeAll(async () => {
  assertBuilt();
  root = await mkdtemp(join(tmpdir(), 'skopos-scale-out-'));
  [clickhouse, redis] = await Promise.all([startClickHouse(), startRedisServer()]);
}, 90_000);

afterAll(async () => {
  await stopLeftovers();
  await Promise.all([clickhouse?.stop(), redis?.stop()]);
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

interface Node {
  cli: CliProcess;
  url: string;
  alive: boolean;
}

async function startNode(n: number): Promise<Node> {
  const cli = startCli([
    'serve',
    '--port',
    '0',
    '--site',
    `${SCALE_SITE}=shop.example`,
    '--clickhouse',
    `${clickhouse.url}/${DATABASE}`,
    '--redis',
    redis.url,
    '--journal',
    join(root, `journal-${n}`),
    '--trust-proxy',
    'loopback',
    '--rate-limit',
    'off',
    '--max-connections-per-ip',
    '0',
    '--no-dashboard',
  ]);
  const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
  return { cli, url, alive: true };
}

/** What the client was told: the events it may forget (accepted or answered as duplicates). */
interface Acknowledged {
  paths: Set<string>;
  requests: number;
  resends: number;
  failovers: number;
}

/** Posts one batch to the node after `from` that answers, as a load balancer fails over; answers the node used. */
async function post(nodes: Node[], from: number, batch: VisitBatch, ack: Acknowledged): Promise<number> {
  for (let attempt = 0; attempt < nodes.length * 3; attempt += 1) {
    const index = (from + attempt) % nodes.length;
    const node = nodes[index] as Node;
    if (!node.alive) continue;
    try {
      const response = await fetch(`${node.url}/_tracker/events`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'x-forwarded-for': visitorIp(batch.visitor) },
        body: JSON.stringify({ events: batch.events }),
      });
      const body = (await response.json()) as { accepted?: number; signals?: number };
      if (response.status === 200 && (body.accepted ?? 0) + (body.signals ?? 0) === batch.events.length) {
        ack.requests += 1;
        for (const event of batch.events)
          if (event.type !== 'engagement') ack.paths.add(new URL(String(event.url)).pathname);
        return index;
      }
    } catch {
      // The node died with this request open: never acknowledged, so the client sends it again.
    }
    ack.failovers += 1;
  }
  throw new Error(`no node took the batch of visitor ${batch.visitor}`);
}

describe('four skopos serve processes on ClickHouse and Redis', () => {
  it('count sessions, bounces and durations as one node does, with 5 % re-sent batches and one node killed -9', async () => {
    const start = Date.now() - 60 * 60_000;
    const all = visits(VISITORS, start);
    const nodes = await Promise.all(Array.from({ length: NODES }, (_, n) => startNode(n)));
    const ack: Acknowledged = { paths: new Set(), requests: 0, resends: 0, failovers: 0 };
    const total = all.reduce((sum, batches) => sum + batches.length, 0);
    let sent = 0;
    let killedAt = -1;
    // Each visitor's batches in order (the next after the previous was answered), 24 visitors at a time.
    const queue = [...all.keys()];
    const worker = async (): Promise<void> => {
      for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
        const batches = all[v] as VisitBatch[];
        for (const [i, batch] of batches.entries()) {
          const used = await post(nodes, v + i, batch, ack);
          sent += 1;
          // 5 % of batches are re-sent (an answer lost on the way back), to another node.
          if ((v * 31 + i * 7) % 20 === 0) {
            ack.resends += 1;
            await post(nodes, used + 1, batch, ack);
          }
          if (killedAt < 0 && sent >= total / 2) {
            killedAt = sent;
            const victim = nodes[NODES - 1] as Node;
            victim.alive = false;
            victim.cli.proc.kill('SIGKILL');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, () => worker()));
    expect(killedAt, 'the kill happened mid-load').toBeGreaterThan(0);
    const victim = nodes[NODES - 1] as Node;
    await victim.cli.closed;

    // The killed node comes back on its journal (what it acknowledged but had not stored), then all stop.
    const back = await startNode(NODES - 1);
    const running = [...nodes.slice(0, NODES - 1), back];
    for (const node of running) node.cli.proc.kill('SIGTERM');
    expect(await Promise.all(running.map((node) => node.cli.closed))).toEqual(running.map(() => 0));

    const store = clickHouseStore({ url: clickhouse.url, database: DATABASE });
    const site = await store.getWebsite(SCALE_SITE);
    if (site === null) throw new Error(`${SCALE_SITE} was not created in ClickHouse`);
    const range = { since: start - 60_000, until: Date.now() + 60_000 };
    const stored: string[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await store.query({
        website: site.id,
        ...range,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      stored.push(...page.events.map((event) => event.path));
      if (page.nextCursor === undefined) break;
      cursor = page.nextCursor;
    }
    const four = statsFacts(await store.stats({ website: site.id, ...range }));
    await store.close();
    const one = await singleNodeStats(all, range);
    console.info(
      `scale-out: ${NODES} nodes, ${VISITORS} visitors, ${ack.requests} answered requests (${ack.resends} re-sends, ${ack.failovers} fail-overs), node ${NODES - 1} killed after ${killedAt} of ${total} batches; stored ${stored.length} events, ${four.sessions} sessions (one node: ${one.sessions}), bounce ${four.bounceRate} (one node: ${one.bounceRate})`,
    );

    expect(new Set(stored).size, 'no event stored twice').toBe(stored.length);
    expect(
      [...ack.paths].filter((path) => !stored.includes(path)),
      'every acknowledged event stored',
    ).toEqual([]);
    expect(stored.length, 'and nothing else').toBe(ack.paths.size);
    expect(one).toMatchObject({ sessions: VISITORS, visitors: VISITORS });
    expect(four, 'the same figures as one node').toEqual(one);
  }, 180_000);
});
