// Test support for the http tracker's tests: a real API on 127.0.0.1 and an XHR helper.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The "API": `/<status>` answers that status with a JSON body holding secrets, `/echo` answers the
 * request body; CORS open, since the happy-dom page lives on another origin.
 */
export async function startApi(): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-expose-headers', '*');
    if (req.method === 'OPTIONS') return void res.end();
    res.setHeader('set-cookie', 'sid=secret');
    res.setHeader('x-request-id', 'req-1');
    res.statusCode = Number(req.url?.slice(1)) || 200;
    if (req.url === '/echo') return void req.pipe(res);
    res.end(JSON.stringify({ user: 'ada', token: 'abc', items: [{ iban: 'X' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One XMLHttpRequest, resolved when it ends (whatever the outcome). */
export const xhr = (method: string, url: string, body?: string, headers: Record<string, string> = {}) =>
  new Promise<XMLHttpRequest>((resolve) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.addEventListener('loadend', () => resolve(request));
    request.send(body);
  });
