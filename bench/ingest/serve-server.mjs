// `skopos serve` as the CLI composes it (startServer: Hono, limits, WebSocket, dashboard) on the
// memory store; BENCH_JOURNAL=1 adds `--journal` (a temporary directory, fsync per group commit).
// The bench's load comes from one address, so the per-client limits are off here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@skopos/core';
import { startServer } from '@skopos/server';
import { portArgument } from './child.mjs';
import { SITE } from './pipeline.mjs';

const journal =
  process.env.BENCH_JOURNAL === '1' ? mkdtempSync(join(tmpdir(), 'skopos-bench-journal-')) : undefined;
const server = await startServer({
  port: portArgument(),
  sites: [{ trackingId: SITE, domain: 'example.com' }],
  maxBufferSize: 1_000_000,
  rateLimit: false,
  trustProxy: 'loopback',
  connections: { maxConnectionsPerIp: 0 },
  logger: createLogger({ level: 'warn' }),
  ...(journal ? { journal } : {}),
});
// Listening before the port is printed (see child.mjs's announce).
process.once('SIGTERM', async () => {
  const closed = await server.close();
  const c = server.skopos.counters();
  if (journal) rmSync(journal, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      accepted: c.accepted,
      stored: c.stored,
      held: c.stored - closed.unsavedEvents,
      dropped: c.dropped,
    }),
  );
  process.exit(0);
});
console.log(JSON.stringify({ port: Number(new URL(server.url).port) }));
