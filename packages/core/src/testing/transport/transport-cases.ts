import { expect } from 'vitest';
import type { TrackerEvent } from '../../validation/payload-types.ts';
import { CONFORMANCE_SITE, type ConformanceClient, type ConformanceServer } from './harness.ts';

export interface TransportCaseContext {
  server: ConformanceServer;
  /** A client of the case's server; closed by the suite after the case. */
  client(options: { batchSize: number; apiKey?: string; loseFirstAnswer?: boolean }): ConformanceClient;
  pollTimeoutMs: number;
}

export interface TransportCase {
  name: string;
  /** The server requires this key. */
  serverKey?: string;
  run(ctx: TransportCaseContext): Promise<void>;
}

export const page = (path: string): TrackerEvent => ({
  type: 'pageView',
  url: `https://${CONFORMANCE_SITE.domain}${path}`,
  siteId: CONFORMANCE_SITE.trackingId,
});

const paths = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `/c${from + i}`);

/** Flushes until the server holds `expected` (a client may settle a flush before delivery after a failure). */
async function delivered(
  ctx: TransportCaseContext,
  client: ConformanceClient,
  expected: string[],
  sorted = false,
): Promise<void> {
  const read = async (): Promise<string[]> => {
    await client.flush().catch(() => undefined);
    const stored = await ctx.server.storedPaths();
    return sorted ? stored.sort() : stored;
  };
  await expect
    .poll(read, { timeout: ctx.pollTimeoutMs, interval: 20 })
    .toEqual(sorted ? [...expected].sort() : expected);
}

export function transportCases(): TransportCase[] {
  return [
    {
      name: 'round trip: tracked events are stored',
      async run(ctx) {
        const client = ctx.client({ batchSize: 25 });
        for (const path of paths(0, 5)) client.track(page(path));
        await delivered(ctx, client, paths(0, 5));
      },
    },
    {
      name: 'ordering: events keep their order across batches',
      async run(ctx) {
        const client = ctx.client({ batchSize: 3 });
        for (const path of paths(0, 10)) client.track(page(path));
        await delivered(ctx, client, paths(0, 10));
      },
    },
    {
      name: 'outage: events tracked while the server is down are delivered once after it restarts',
      async run(ctx) {
        const client = ctx.client({ batchSize: 2 });
        for (const path of paths(0, 4)) client.track(page(path));
        await delivered(ctx, client, paths(0, 4));
        await ctx.server.stop();
        for (const path of paths(4, 10)) client.track(page(path));
        await ctx.server.restart();
        await delivered(ctx, client, paths(0, 10), true);
      },
    },
    {
      name: 'resend: a batch whose answer was lost is sent again and stored once',
      async run(ctx) {
        const client = ctx.client({ batchSize: 3, loseFirstAnswer: true });
        for (const path of paths(0, 3)) client.track(page(path));
        await delivered(ctx, client, paths(0, 3));
        client.track(page('/after'));
        await delivered(ctx, client, [...paths(0, 3), '/after']);
      },
    },
    {
      name: 'auth: the right key is accepted',
      serverKey: 'conformance-key',
      async run(ctx) {
        const client = ctx.client({ batchSize: 25, apiKey: 'conformance-key' });
        client.track(page('/authed'));
        await delivered(ctx, client, ['/authed']);
        expect(client.authRefused()).toBe(false);
      },
    },
    {
      name: 'auth: a wrong key is refused and nothing is stored',
      serverKey: 'conformance-key',
      async run(ctx) {
        const client = ctx.client({ batchSize: 25, apiKey: 'wrong-key' });
        client.track(page('/refused'));
        await expect
          .poll(
            async () => {
              await client.flush().catch(() => undefined);
              return client.authRefused();
            },
            { timeout: ctx.pollTimeoutMs, interval: 20 },
          )
          .toBe(true);
        expect(await ctx.server.storedPaths()).toEqual([]);
      },
    },
    {
      name: 'bad payloads: invalid events are refused, valid ones stored, and the client goes on',
      async run(ctx) {
        const client = ctx.client({ batchSize: 25 });
        client.track(page('/valid-1'));
        client.track({ ...page('/x'), url: 'not a url' });
        client.track({ ...page('/x'), type: 'unknown' as TrackerEvent['type'] });
        client.track(page('/valid-2'));
        await delivered(ctx, client, ['/valid-1', '/valid-2']);
        client.track(page('/valid-3'));
        await delivered(ctx, client, ['/valid-1', '/valid-2', '/valid-3']);
      },
    },
  ];
}
