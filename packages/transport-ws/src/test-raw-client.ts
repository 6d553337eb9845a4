import { WebSocket } from 'ws';
import type { ServerMessage } from './protocol.ts';
import { BROWSER_HEADERS } from './test-support.ts';

/** A protocol-level client for server tests: frames in, parsed messages out, in order. */
export interface RawClient {
  socket: WebSocket;
  send(message: unknown): void;
  /** The next message from the server (waits for it). */
  next(): Promise<ServerMessage>;
  /** The next message of this type, skipping others (pushes, pongs…). */
  nextOf<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>>;
  /** Resolves with the close code and reason once the connection is closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export async function openRaw(
  url: string,
  options: { autoPong?: boolean; headers?: Record<string, string> } = {},
): Promise<RawClient> {
  const socket = new WebSocket(url, {
    headers: options.headers ?? BROWSER_HEADERS,
    autoPong: options.autoPong ?? true,
  });
  const inbox: ServerMessage[] = [];
  const waiting: ((message: ServerMessage) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('error', () => {
    // Close follows; tests read `closed`.
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
  const next = (): Promise<ServerMessage> => {
    const queued = inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    socket,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next,
    async nextOf(type) {
      for (;;) {
        const message = await next();
        if (message.type === type) return message as Extract<ServerMessage, { type: typeof type }>;
      }
    },
    closed,
    async close() {
      if (socket.readyState !== socket.CLOSED) socket.close();
      await closed;
    },
  };
}
