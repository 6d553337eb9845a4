// Serves the app on Node, Bun or Deno, whichever runs this file, on a free port of 127.0.0.1; prints
// `{"port":…}` once listening; on SIGTERM writes what is queued, then exits 0.
import process from 'node:process';
import { createApp } from './app.mjs';

const runtime =
  typeof globalThis.Bun !== 'undefined' ? 'bun' : typeof globalThis.Deno !== 'undefined' ? 'deno' : 'node';
const conninfo = { node: '@hono/node-server/conninfo', bun: 'hono/bun', deno: 'hono/deno' }[runtime];
const { getConnInfo } = await import(conninfo);
const { app, skopos } = createApp(process.env, getConnInfo);
const listening = (port) => process.stdout.write(`${JSON.stringify({ runtime, port })}\n`);

let stop;
if (runtime === 'bun') {
  const server = globalThis.Bun.serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  listening(server.port);
  stop = () => server.stop();
} else if (runtime === 'deno') {
  const server = globalThis.Deno.serve(
    { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => listening(port) },
    app.fetch,
  );
  stop = () => server.shutdown();
} else {
  const { serve } = await import('@hono/node-server');
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) => listening(port));
  stop = () => server.close();
}

process.once('SIGTERM', async () => {
  stop();
  const { unsaved } = await skopos.shutdown();
  process.exit(unsaved === 0 ? 0 : 1);
});
