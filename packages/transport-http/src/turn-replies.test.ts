import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonAnswer } from './responses.ts';
import { replyAfterTurn } from './turn-replies.ts';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A connection of its own per request: the answers of one turn go to different sockets.
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

describe('answers written after the turn', () => {
  it('gives each client its own answer when many are answered in one turn', async () => {
    const port = await serve((req, res) =>
      replyAfterTurn(res, jsonAnswer(200, JSON.stringify({ path: req.url }))),
    );
    const paths = Array.from({ length: 40 }, (_, i) => `/r${i}`);
    const replies = await Promise.all(paths.map((path) => get(port, path)));
    expect(replies).toEqual(paths.map((path) => ({ status: 200, body: JSON.stringify({ path }) })));
  });

  it('answers the others when one answer cannot be written, and cuts that connection', async () => {
    const port = await serve((req, res) => {
      const bad = req.url === '/bad';
      replyAfterTurn(res, jsonAnswer(200, '{}', bad ? { 'x-bad': 'line\nbreak' } : {}));
    });
    const [bad, good] = await Promise.allSettled([get(port, '/bad'), get(port, '/good')]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: { status: 200, body: '{}' } });
  });

  it('writes nothing before the turn is over', async () => {
    let sentDuringTurn: boolean | undefined;
    const port = await serve((_req, res) => {
      replyAfterTurn(res, jsonAnswer(204, ''));
      sentDuringTurn = res.headersSent;
    });
    expect((await get(port, '/')).status).toBe(204);
    expect(sentDuringTurn).toBe(false);
  });

  it('does not fail when the client left before its answer', async () => {
    let answered: () => void = () => {};
    const queued = new Promise<void>((done) => {
      answered = done;
    });
    const port = await serve((req, res) => {
      req.socket.destroy();
      replyAfterTurn(res, jsonAnswer(200, '{}'));
      setImmediate(() => setImmediate(answered));
    });
    await expect(get(port, '/')).rejects.toThrow();
    await queued;
    // Still serving: a later client gets its answer.
    const after = await serve((_req, res) => replyAfterTurn(res, jsonAnswer(200, '"ok"')));
    expect(await get(after, '/')).toEqual({ status: 200, body: '"ok"' });
  });
});
