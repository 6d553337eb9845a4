// node server.mjs — Skopos' HTTP endpoints over the SQLite store: events survive a restart.
// Ctrl-C or SIGTERM: stop taking requests, write what is queued, save the database file.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createLogger, createSkopos } from '@skopos/core';
import { createHttpHandler } from '@skopos/transport-http';
import { hardenServer, toNodeListener } from '@skopos/transport-http/node';
// The store is TypeScript; tsx compiles it on import, so this script runs with plain `node`.
import { register } from 'tsx/esm/api';

register();
const { sqliteStore } = await import('./src/index.ts');

const log = createLogger({ prefix: '[example-sqlite-store]' });
const siteId = process.env.SKOPOS_SITE_ID ?? 'my-app';
// SQLITE_FILE= (empty) keeps the database in memory only.
const file = process.env.SQLITE_FILE ?? fileURLToPath(new URL('./data/skopos.sqlite', import.meta.url));

const store = await sqliteStore({
  ...(file === '' ? {} : { file }),
  // An empty domain accepts events from any host; SKOPOS_SITE_DOMAIN=example.com checks it.
  websites: [{ trackingId: siteId, domain: process.env.SKOPOS_SITE_DOMAIN ?? '' }],
});
const skopos = createSkopos({ store, batchInterval: 1000 });
const server = createServer(toNodeListener(createHttpHandler({ skopos, siteId })));
hardenServer(server); // connection caps and timeouts; before listen

server.listen(Number(process.env.PORT ?? 4242), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  log.info(`listening on http://${address}:${port} (database: ${file === '' ? 'in memory' : file})`);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return; // a second Ctrl-C must not cut the shutdown short (the queue would be lost)
  stopping = true;
  log.info(`${signal}: writing queued events and saving the database`);
  server.close();
  try {
    const { unsaved } = await skopos.shutdown(); // writes the queue, then closes the store
    if (unsaved > 0) log.warn(`${unsaved} record(s) could not be written`);
  } finally {
    // shutdown() closed the store already; close() again is a no-op, and saves the file if it threw.
    await store.close();
  }
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
