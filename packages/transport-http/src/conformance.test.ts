import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, silentLogger, type Transport } from '@skopos/core';
import { CONFORMANCE_SITE, type ConformanceServer, describeTransport } from '@skopos/core/testing';
import { memoryStore } from '@skopos/memory-store';
import { createBatchSender, createHttpTransport } from './client/index.ts';
import { createHttpHandler } from './handler.ts';
import { createNodeListener, toNodeListener } from './node.ts';
import { BROWSER_HEADERS } from './test-support.ts';

interface HttpServerHandle extends ConformanceServer {
  endpoint: string;
}

/** `directWrites`: writes answered by the Node write route (`createNodeListener`), not the Fetch handler. */
async function startServer(
  { apiKey }: { apiKey?: string | undefined },
  directWrites: boolean,
): Promise<HttpServerHandle> {
  const store = memoryStore({ websites: [CONFORMANCE_SITE] });
  const skopos = createSkopos({ store, batch: false, logger: silentLogger });
  const options = { skopos, apiKey, logger: silentLogger };
  const listener = directWrites ? createNodeListener(options) : toNodeListener(createHttpHandler(options));
  let http = createServer(listener);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const stop = async () => {
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    await closed;
  };
  return {
    endpoint: `http://127.0.0.1:${port}/_tracker/events`,
    async storedPaths() {
      await skopos.flush();
      return (await skopos.query({ limit: 1000 })).events.map((e) => e.path);
    },
    stop,
    async restart() {
      http = createServer(listener);
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (http.listening) await stop();
      await skopos.shutdown();
    },
  };
}

for (const directWrites of [false, true]) {
  describeTransport<HttpServerHandle>({
    name: directWrites ? 'http (node write route)' : 'http',
    startServer: (options) => startServer(options, directWrites),
    createClient(server, { apiKey, batchSize, loseFirstAnswer }) {
      let lost = !loseFirstAnswer;
      let refused = false;
      const http = createHttpTransport({
        endpoint: server.endpoint,
        apiKey,
        headers: BROWSER_HEADERS,
        async fetch(input, init) {
          const response = await fetch(input, init);
          if (!lost) {
            lost = true;
            throw new TypeError('fetch failed: connection reset');
          }
          return response;
        },
      });
      const transport: Transport = {
        name: 'http',
        async send(events, options) {
          const result = await http.send(events, options);
          if (!result.ok && result.status === 401) refused = true;
          return result;
        },
      };
      const sender = createBatchSender({
        transport,
        batchSize,
        flushInterval: 60_000,
        retry: { baseMs: 10, maxMs: 50 },
        logger: silentLogger,
      });
      return {
        track: (event) => sender.push(event),
        flush: () => sender.flush(),
        authRefused: () => refused,
        close: () => sender.close(),
      };
    },
  });
}
