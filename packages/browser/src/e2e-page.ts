import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleIife, IIFE_ENTRIES } from '../scripts/iife.ts';

/** A page server of the end-to-end tests: the bundled script tag at `/skopos.js`, pages from `render`. */
export interface PageServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export async function servePages(render: (url: string) => string): Promise<PageServer> {
  const script = await bundleIife(IIFE_ENTRIES['skopos.global.js']);
  const server = createServer((request, response) => {
    if (request.url === '/skopos.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end(render(request.url ?? '/'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The demo page of the end-to-end test: the script tag as a site would paste it, allowed on
 * 127.0.0.1. Batches of 4 and no timer flush make the requests deterministic: two fetches during
 * the visit, then the last engagement signal alone in the final beacon.
 */
export function demoPage(writeEndpoint: string, apiKey: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Skopos demo</title>
    <script defer src="/skopos.js" data-site="demo" data-write-endpoint="${writeEndpoint}" data-api-key="${apiKey}"
      data-batch-size="4" data-flush-interval="600000" data-allow-localhost></script>
  </head>
  <body>
    <h1>Demo shop</h1>
    <button id="signup" data-skopos-event="signup" data-skopos-plan="pro"><span>Sign up</span></button>
  </body>
</html>`;
}
