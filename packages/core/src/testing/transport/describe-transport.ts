import { afterEach, describe, it } from 'vitest';
import type { ConformanceClient, ConformanceServer, DescribeTransportOptions } from './harness.ts';
import { transportCases } from './transport-cases.ts';

/**
 * Registers the shared transport conformance cases with vitest: round trip, ordering across
 * batches, delivery after a server outage, no duplicate after a lost answer, auth success and
 * failure, bad payloads. Every case runs a real server from `startServer` and clients from
 * `createClient`; both are closed after the case, even a failing one.
 *
 * @example
 * import { describeTransport } from '@skopos/core/testing';
 *
 * describeTransport({
 *   name: 'websocket',
 *   startServer: ({ apiKey }) => startMyServer({ apiKey }),
 *   createClient: (server, { apiKey, batchSize }) => {
 *     const transport = createMyTransport({ url: server.url, apiKey, batchSize });
 *     return {
 *       track: (event) => transport.track(event),
 *       flush: () => transport.flush(),
 *       authRefused: () => transport.error?.code === 'auth_failed',
 *       close: () => transport.close(),
 *     };
 *   },
 * });
 */
export function describeTransport<S extends ConformanceServer>(options: DescribeTransportOptions<S>): void {
  const timeout = options.timeoutMs ?? 10_000;
  describe(`Transport conformance: ${options.name}`, () => {
    let server: S | undefined;
    let clients: ConformanceClient[] = [];
    afterEach(async () => {
      const open = clients;
      clients = [];
      await Promise.allSettled(open.map((client) => client.close()));
      await server?.close();
      server = undefined;
    });
    for (const transportCase of transportCases()) {
      it(
        transportCase.name,
        async () => {
          const started = await options.startServer({ apiKey: transportCase.serverKey });
          server = started;
          await transportCase.run({
            server: started,
            pollTimeoutMs: Math.max(1000, timeout - 2000),
            client(clientOptions) {
              const client = options.createClient(started, clientOptions);
              clients.push(client);
              return client;
            },
          });
        },
        timeout,
      );
    }
  });
}
