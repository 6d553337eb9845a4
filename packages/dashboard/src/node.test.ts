import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler } from './handler.ts';
import { toNodeMiddleware } from './node.ts';
import { injectedConfig, requireBuiltApp } from './test-support.ts';

let server: Server;
let port: number;

/** A raw request: the path goes on the wire exactly as written (no URL normalisation). */
function send(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  requireBuiltApp();
  const middleware = toNodeMiddleware(createDashboardHandler({ readEndpoint: '/_tracker' }));
  server = createServer((req, res) =>
    middleware(req, res, () => res.writeHead(404, { 'content-type': 'text/plain' }).end('next handler')),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('toNodeMiddleware', () => {
  it('serves the dashboard on node:http and hands other paths to next()', async () => {
    const page = await send('/_tracker/dashboard');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(injectedConfig(page.body)).toEqual({ readEndpoint: '/_tracker' });
    expect(await send('/_tracker/events', 'POST')).toMatchObject({ status: 404, body: 'next handler' });
    expect(await send('/')).toMatchObject({ body: 'next handler' });
  });

  it('never serves a file outside the app, whatever the raw path', async () => {
    for (const path of [
      '/_tracker/dashboard/../../package.json',
      '/_tracker/dashboard/../dashboard/../../../packages/dashboard/package.json',
      '/_tracker/dashboard/%2e%2e/%2e%2e/package.json',
      '/_tracker/dashboard/..%2f..%2fpackage.json',
      '/_tracker/dashboard/assets/../../../src/handler.ts',
    ]) {
      const response = await send(path);
      expect(response.body, path).not.toContain('@skopos/dashboard');
      expect(response.body, path).not.toContain('createDashboardHandler');
      expect(response.status, path).toBe(404);
    }
  });
});
