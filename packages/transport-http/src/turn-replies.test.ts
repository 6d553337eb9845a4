import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonAnswer } from './responses.ts';
import { replyAfterTurn, writeQueuedReplies } from './turn-replies.ts';

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

/** Holds the first `count` requests, then answers them all in one synchronous step: one turn. */
function inOneTurn(count: number, answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const held: [IncomingMessage, ServerResponse][] = [];
  return (req: IncomingMessage, res: ServerResponse): void => {
    held.push([req, res]);
    if (held.length === count) for (const [r, s] of held) answer(r, s);
  };
}

describe('answers written after the turn', () => {
  it('gives each client its own answer when many are answered in one turn', async () => {
    const port = await serve(
      inOneTurn(40, (req, res) => replyAfterTurn(res, jsonAnswer(200, JSON.stringify({ path: req.url })))),
    );
    const paths = Array.from({ length: 40 }, (_, i) => `/r${i}`);
    const replies = await Promise.all(paths.map((path) => get(port, path)));
    expect(replies).toEqual(paths.map((path) => ({ status: 200, body: JSON.stringify({ path }) })));
  });

  it('answers the others of its turn when one answer cannot be written, and cuts that connection', async () => {
    const answer = (req: IncomingMessage, res: ServerResponse): void => {
      const bad = req.url === '/bad';
      replyAfterTurn(res, jsonAnswer(200, '{}', bad ? { 'x-bad': 'line\nbreak' } : {}));
    };
    const port = await serve(inOneTurn(3, answer));
    // The bad answer is queued between two good ones.
    const replies = await Promise.allSettled(['/a', '/bad', '/b'].map((path) => get(port, path)));
    expect(replies.map((reply) => reply.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
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

  it('writes the queued answers at once when asked, before the connection is cut', async () => {
    const port = await serve((_req, res) => {
      replyAfterTurn(res, jsonAnswer(200, '"ok"'));
      writeQueuedReplies();
      res.socket?.destroy();
    });
    expect(await get(port, '/')).toEqual({ status: 200, body: '"ok"' });
  });

  it('keeps serving when a client left before its answer', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/gone') req.socket.destroy();
      replyAfterTurn(res, jsonAnswer(200, '"ok"'));
    });
    await expect(get(port, '/gone')).rejects.toThrow();
    expect(await get(port, '/')).toEqual({ status: 200, body: '"ok"' });
  });
});
