import { Socket } from 'node:net';

/** Send one inline command and answer the reply's text, or `undefined` when nothing answers. */
export function rawCommand(port: number, command: string, timeoutMs = 500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // A one-line reply, or a bulk reply once its announced length has arrived.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (bulk === null ? reply.endsWith('\r\n') : reply.length >= bulk[0].length + Number(bulk[1]) + 2) {
        done(reply);
      }
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  });
}

/** Poll until `check` holds (a condition, not a sleep); throw `failure()` at the deadline. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  failure: () => Error,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() >= deadline) throw failure();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
