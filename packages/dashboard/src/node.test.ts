import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler } from './handler.ts';
import { toNodeMiddleware } from './node.ts';
import { injectedConfig, requireBuiltApp } from './test-support.ts';

const PASSWORD = 'node-middleware-password';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let server: Server;
let port: number;
let loginServer: Server;
let loginPort: number;

interface Answer {
  status: number;
  type: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A raw request: the path goes on the wire exactly as written (no URL normalisation). */
function send(
  path: string,
  method = 'GET',
  options: { to?: number; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: options.to ?? port, path, method, headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            body,
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
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

  // With a login; the next handler echoes the body it receives.
  const withLogin = toNodeMiddleware(
    createDashboardHandler({ readEndpoint: '/_tracker', password: PASSWORD }),
  );
  loginServer = createServer((req, res) =>
    withLogin(req, res, () => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.writeHead(200).end(`next got: ${Buffer.concat(chunks).toString()}`));
    }),
  );
  await new Promise<void>((resolve) => loginServer.listen(0, '127.0.0.1', resolve));
  loginPort = (loginServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => loginServer.close(resolve));
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

describe('toNodeMiddleware with a login', () => {
  it('reads the login form, sets the session cookie and passes the peer address', async () => {
    const to = loginPort;
    expect(await send('/_tracker/dashboard/', 'GET', { to })).toMatchObject({ status: 303 });
    for (let i = 0; i < 10; i++) {
      const wrong = await send('/_tracker/dashboard/login', 'POST', {
        to,
        body: 'password=no',
        headers: FORM,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain('Wrong password.');
    }
    // The peer (127.0.0.1) reached the handler: its bucket is full now (a wrong password waits).
    const limited = await send('/_tracker/dashboard/login', 'POST', {
      to,
      body: 'password=no',
      headers: FORM,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers the right password with the cookie, which opens the page', async () => {
    const middleware = toNodeMiddleware(
      createDashboardHandler({ readEndpoint: '/_tracker', password: PASSWORD }),
    );
    const fresh = createServer((req, res) => middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => fresh.listen(0, '127.0.0.1', resolve));
    const to = (fresh.address() as AddressInfo).port;
    try {
      const ok = await send('/_tracker/dashboard/login', 'POST', {
        to,
        body: `password=${PASSWORD}`,
        headers: FORM,
      });
      expect(ok.status).toBe(303);
      const cookies = ok.headers['set-cookie'] ?? [];
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatch(/^skopos_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/);
      const page = await send('/_tracker/dashboard/', 'GET', {
        to,
        headers: { cookie: (cookies[0] as string).split(';')[0] as string },
      });
      expect(page.status).toBe(200);
      expect(injectedConfig(page.body)).toEqual({ readEndpoint: '/_tracker', login: true });
      const big = await send('/_tracker/dashboard/login', 'POST', {
        to,
        body: `password=${'x'.repeat(64 * 1024)}`,
        headers: FORM,
      });
      expect(big.status).toBe(413);
    } finally {
      fresh.closeAllConnections();
      await new Promise((resolve) => fresh.close(resolve));
    }
  });

  it('does not hang when a body parser mounted earlier read the body already', async () => {
    const middleware = toNodeMiddleware(
      createDashboardHandler({ readEndpoint: '/_tracker', password: PASSWORD }),
    );
    const parsed = createServer((req, res) => {
      req.resume(); // what express.urlencoded() does before the next middleware runs
      req.on('end', () => middleware(req, res, () => res.writeHead(404).end()));
    });
    await new Promise<void>((resolve) => parsed.listen(0, '127.0.0.1', resolve));
    try {
      const to = (parsed.address() as AddressInfo).port;
      const answer = await send('/_tracker/dashboard/login', 'POST', {
        to,
        body: 'password=x',
        headers: FORM,
      });
      expect(answer.status).toBe(401);
    } finally {
      await new Promise((resolve) => parsed.close(resolve));
    }
  });

  it('leaves the body of a request it does not answer to the next handler', async () => {
    const body = JSON.stringify({ events: [{ type: 'pageView', url: 'https://example.com/' }] });
    const answer = await send('/_tracker/events', 'POST', {
      to: loginPort,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(answer).toMatchObject({ status: 200, body: `next got: ${body}` });
  });
});
