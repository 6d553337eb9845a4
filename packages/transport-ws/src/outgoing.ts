import type { WebSocket } from 'ws';
import { CLOSE_TRY_AGAIN_LATER } from './protocol.ts';

/**
 * One message written as it is produced, in fragments (`head`, each of `pieces`, `tail`): a
 * whole-window `events:response` can hold 500 000 events, which as one string would take hundreds
 * of MB. `release` is called once, when it is written out or given up.
 */
export interface StreamedFrame {
  head: string;
  pieces: AsyncIterable<Uint8Array>;
  tail: string;
  release(): void;
}

/** A socket's writes: frames in order, a streamed frame whole before anything after it. */
export interface Outgoing {
  /** Sends `frame` (or holds it behind a streamed one); `done` once written out or dropped. */
  send(frame: string | StreamedFrame, done?: () => void): void;
  /** Bytes sent but unread by the client, and bytes held behind a streamed frame. */
  queuedBytes(): number;
}

const BROKEN_REASON = 'the event store failed in the middle of an answer: retry';
const SLICE_BYTES = 64 * 1024;

/**
 * Default of `stalledWriteMs`: a client that reads nothing of a streamed answer for this long is
 * dropped. The answer would otherwise hold its place among `maxWindowReads`, and the frames behind
 * it, for as long as the connection stays open.
 */
export const STALLED_WRITE_MS = 30_000;

function isStreamed(frame: string | StreamedFrame): frame is StreamedFrame {
  return typeof frame !== 'string';
}

/**
 * Fragments of one message must follow each other with no other message between them (WebSocket
 * framing; `ws` would mark the other as a continuation). So while a streamed frame is written,
 * every other frame waits, and goes out in order once it ends. Each fragment waits until the one
 * before it is written to the socket: a slow client holds one store page, never the whole answer.
 */
export function createOutgoing(
  socket: WebSocket,
  stalledWriteMs: number = STALLED_WRITE_MS,
  onReadFailed: (error: unknown) => void = () => {},
): Outgoing {
  let streaming = false;
  let held: { frame: string | StreamedFrame; done: (() => void) | undefined }[] = [];
  let heldBytes = 0;

  const fragment = (data: string | Buffer, fin: boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const stalled = setTimeout(() => {
        reject(new Error('the client stopped reading'));
        socket.terminate();
      }, stalledWriteMs);
      stalled.unref?.();
      // Text, also when given bytes: a fragment may end inside a character, the message may not.
      socket.send(data, { binary: false, fin }, (error) => {
        clearTimeout(stalled);
        if (error) reject(error);
        else resolve();
      });
    });

  /** The pieces, a store failure among them logged (a failed write to the socket is the client's). */
  async function* logged(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    try {
      yield* pieces;
    } catch (error) {
      onReadFailed(error);
      throw error;
    }
  }

  async function writeStreamed(frame: StreamedFrame, done: (() => void) | undefined): Promise<void> {
    try {
      await fragment(frame.head, false);
      for await (const piece of logged(frame.pieces)) {
        // Fragments of 64 KB: the stalled-write deadline then measures bytes moving, not a whole piece.
        // A view, not a copy: the piece is never written again.
        const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        for (let at = 0; at < bytes.length && socket.readyState === socket.OPEN; at += SLICE_BYTES) {
          await fragment(bytes.subarray(at, at + SLICE_BYTES), false);
        }
        if (socket.readyState !== socket.OPEN) break;
      }
      if (socket.readyState === socket.OPEN) await fragment(frame.tail, true);
    } catch {
      // Half a message is out: this connection can carry nothing more. 1013: the client comes back.
      if (socket.readyState === socket.OPEN) socket.close(CLOSE_TRY_AGAIN_LATER, BROKEN_REASON);
    } finally {
      frame.release();
      done?.();
      streaming = false;
      const waiting = held;
      held = [];
      heldBytes = 0;
      for (const next of waiting) send(next.frame, next.done);
    }
  }

  function send(frame: string | StreamedFrame, done?: () => void): void {
    if (socket.readyState !== socket.OPEN) {
      if (isStreamed(frame)) frame.release();
      done?.();
      return;
    }
    if (streaming) {
      held.push({ frame, done });
      if (!isStreamed(frame)) heldBytes += frame.length;
      return;
    }
    if (isStreamed(frame)) {
      streaming = true;
      void writeStreamed(frame, done);
      return;
    }
    socket.send(frame, done);
  }

  return { send, queuedBytes: () => socket.bufferedAmount + heldBytes };
}
