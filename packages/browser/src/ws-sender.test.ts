// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket, type Frame } from './test-socket.ts';
import type { TrackerEvent } from './types.ts';
import { createWsSender } from './ws-sender.ts';

const event = (name: string, extra: Partial<TrackerEvent> = {}): TrackerEvent => ({
  type: 'custom',
  name,
  url: 'https://shop.example.com/',
  ...extra,
});
const names = (frames: Frame[]) => frames.flatMap((frame) => frame.events?.map((e) => e.name));
const last = (): FakeSocket => FakeSocket.all.at(-1) as FakeSocket;

/**
 * A server written for vite-plugin-monitor's protocol, as its own standalone server answers: `auth`
 * → `auth_ok`, each non-empty `ingest` stored and answered `{ type: 'ack', saved }`, with no id.
 */
class PeerServer {
  stored: (string | undefined)[] = [];
  private read = new Map<FakeSocket, number>();
  /** Reads (up to `count` of) the frames `socket` sent since the last call, in order, and answers each. */
  serve(socket: FakeSocket, count = Number.POSITIVE_INFINITY): void {
    const from = this.read.get(socket) ?? 0;
    const frames = socket.frames.slice(from, from + count);
    this.read.set(socket, from + frames.length);
    for (const frame of frames) {
      if (frame.type === 'auth') socket.answer({ type: 'auth_ok' });
      if (frame.type === 'ingest' && frame.events?.length) {
        this.stored.push(...names([frame]));
        socket.answer({ type: 'ack', saved: frame.events.length });
      }
    }
  }
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the WebSocket sender', () => {
  it('connects with the first event only, authenticates, then sends batches of batchSize', () => {
    const sender = createWsSender('wss://stats.example.com/_tracker/ws', 'k1', 2, 3000);
    expect(FakeSocket.all).toEqual([]);
    sender.push(event('a'));
    expect(last().url.toString()).toBe('wss://stats.example.com/_tracker/ws');
    last().open();
    expect(last().frames[0]).toEqual({ type: 'auth', key: 'k1' });
    expect(names(last().ingests())).toEqual(['a']);
    sender.push(event('b'));
    sender.push(event('c'));
    expect(
      last()
        .ingests()
        .map((frame) => frame.events?.length),
    ).toEqual([1, 2]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('turns a relative endpoint into ws:// or wss:// on the page host and sends no auth without a key', () => {
    const sender = createWsSender('/_tracker/ws', undefined, 25, 3000);
    sender.push(event('a'));
    expect(last().url.toString()).toBe('wss://shop.example.com/_tracker/ws');
    last().open();
    expect(last().frames.map((frame) => frame.type)).toEqual(['ingest']);
  });

  it('sends a partial batch flushInterval ms after its first event', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 25, 3000);
    sender.push(event('a'));
    last().open();
    sender.push(event('b'));
    vi.advanceTimersByTime(2999);
    expect(names(last().ingests())).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(names(last().ingests())).toEqual(['a', 'b']);
  });

  it('re-sends un-acked batches with the same id after a reconnect, and acked ones never', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 1, 3000);
    sender.push(event('a'));
    last().open();
    sender.push(event('b'));
    const [first, second] = last().ingests();
    last().answer({ type: 'ack', id: first?.id, saved: 1, rejected: [], dropped: [] });
    last().drop();
    sender.push(event('c')); // queued while offline
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    expect(
      last()
        .ingests()
        .map((frame) => [frame.id, names([frame])]),
    ).toEqual([
      [second?.id, ['b']],
      [expect.not.stringMatching(`^${second?.id}$`), ['c']],
    ]);
  });

  it("releases batches acked without an id (vite-plugin-monitor's protocol) oldest first: past 500 events, once each across a reconnect", () => {
    const peer = new PeerServer();
    const sender = createWsSender('ws://127.0.0.1:1/ws', 'k1', 25, 3000);
    const pushed: string[] = [];
    const push = (count: number): void => {
      for (let i = 0; i < count; i++) {
        pushed.push(`e${pushed.length}`);
        sender.push(event(pushed.at(-1) as string));
      }
    };
    push(1);
    last().open();
    push(399);
    peer.serve(last());
    push(300);
    // The server reads two more batches, then the connection dies with the rest of them in flight.
    peer.serve(last(), 2);
    last().drop();
    push(100); // queued while offline
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    peer.serve(last());
    sender.flush();
    peer.serve(last());
    expect(pushed).toHaveLength(800);
    expect(peer.stored).toEqual(pushed);
    // Nothing is left to re-send: the next connection carries only its `auth`.
    last().drop();
    vi.advanceTimersByTime(500);
    last().open();
    expect(last().frames.map((frame) => frame.type)).toEqual(['auth']);
  });

  it('ignores an id-less ack with nothing awaiting one, and releases a batch whose id-less ack saved fewer events', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 2, 3000);
    sender.push(event('a'));
    last().open();
    last().answer({ type: 'ack', saved: 0 }); // a's: the server stored none of it, its decision
    last().answer({ type: 'ack', saved: 1 }); // nothing awaits an ack: no credit for a later batch
    sender.push(event('b'));
    sender.push(event('c'));
    last().answer({ type: 'ack', saved: 1 }); // b and c's, one of them saved
    sender.push(event('d'));
    sender.flush();
    last().drop();
    vi.advanceTimersByTime(500);
    last().open();
    expect(names(last().ingests())).toEqual(['d']);
  });

  it('backs off between failed connections, up to 30 s', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 25, 3000);
    sender.push(event('a'));
    for (let attempt = 0; attempt < 8; attempt++) {
      last().drop();
      vi.advanceTimersByTime(30_000);
    }
    expect(FakeSocket.all).toHaveLength(9);
    // The delay has reached its 30 s cap (jittered down to no less than 15 s).
    last().drop();
    vi.advanceTimersByTime(14_000);
    expect(FakeSocket.all).toHaveLength(9);
    vi.advanceTimersByTime(16_000);
    expect(FakeSocket.all).toHaveLength(10);
  });

  it('stops for good when the server refuses the key (close 1008)', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', 'wrong', 25, 3000);
    sender.push(event('a'));
    last().open();
    last().drop(1008);
    sender.push(event('b'));
    vi.advanceTimersByTime(120_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('never throws into the page when the browser refuses the URL (mixed content, bad scheme)', () => {
    const sender = createWsSender('ftp://stats.example.com/ws', undefined, 1, 3000);
    vi.stubGlobal(
      'WebSocket',
      class {
        constructor() {
          throw new DOMException('The URL scheme must be ws or wss', 'SyntaxError');
        }
      },
    );
    expect(() => sender.push(event('a'))).not.toThrow();
    expect(() => sender.push(event('b'))).not.toThrow();
  });

  it('re-sends a batch answered with a retryable error, and drops one answered with a final error', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 1, 3000);
    sender.push(event('a'));
    last().open();
    sender.push(event('b'));
    const [a, b] = last().ingests();
    last().answer({ type: 'error', id: a?.id, reason: 'store down', retryable: true });
    last().answer({ type: 'error', id: b?.id, reason: 'invalid events' });
    vi.advanceTimersByTime(3000);
    expect(
      last()
        .ingests()
        .map((frame) => frame.id),
    ).toEqual([a?.id, b?.id, a?.id]);
    last().drop();
    vi.advanceTimersByTime(500);
    last().open();
    expect(
      last()
        .ingests()
        .map((frame) => frame.id),
    ).toEqual([a?.id]);
  });

  it('holds at most 500 events while offline, dropping the newest', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 1000, 600_000);
    for (let i = 0; i < 600; i++) sender.push(event(`e${i}`));
    last().open();
    const sent = names(last().ingests());
    expect(sent).toHaveLength(500);
    expect(sent.at(-1)).toBe('e499');
  });

  it('splits batches to stay under the 64 KB frame limit and drops an event no frame can carry', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 25, 3000);
    sender.push(event('a'));
    last().open();
    const big = 'x'.repeat(20_000);
    for (const name of ['b', 'c', 'd', 'e']) sender.push(event(name, { customData: { big } }));
    sender.push(event('huge', { customData: { big: 'y'.repeat(70_000) } }));
    sender.push(event('f'));
    sender.flush();
    const frames = last().ingests();
    expect(names(frames)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const frame of frames) expect(JSON.stringify(frame).length).toBeLessThan(65_536);
  });

  it('sends what is queued when the page goes away with the socket open, and closes on close()', () => {
    const sender = createWsSender('ws://127.0.0.1:1/ws', undefined, 25, 600_000);
    sender.push(event('a'));
    last().open();
    sender.push(event('bye'));
    sender.flush(true);
    expect(names(last().ingests())).toEqual(['a', 'bye']);
    sender.close();
    expect(last().closedWith).toBe(1000);
    last().drop(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
