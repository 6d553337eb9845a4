import type { SendResult, TrackerEvent } from '@skopos/core/lite';

/** A batch cut from the queue: sent, and re-sent after every reconnect, until its ack arrives. */
export interface OutboundBatch {
  id: string;
  frame: string;
  count: number;
  /** `send()` callers waiting for this batch's outcome. */
  waiters: ((result: SendResult) => void)[];
}

const encoder = new TextEncoder();
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random `[a-z0-9]` string: ids from one client never collide with another's. */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Gives every event an `eventId`, so the store keeps one copy however often its batch is re-sent. */
export function createIdSource(): { eventId(): string; batchId(): string } {
  const prefix = randomToken(12);
  let events = 0;
  let batches = 0;
  return {
    eventId: () => `${prefix}${(events++).toString(36)}`,
    batchId: () => `${prefix}-${(batches++).toString(36)}`,
  };
}

export interface CutResult {
  batches: OutboundBatch[];
  /** Events that alone exceed `maxFrameBytes`: no server would take them. */
  oversize: number;
}

/**
 * Cuts events into `ingest` frames of at most `batchSize` events and `maxFrameBytes` bytes, in
 * order. Each event is serialised once; the frame is assembled from the pieces.
 */
export function cutBatches(
  events: readonly TrackerEvent[],
  batchSize: number,
  maxFrameBytes: number,
  nextId: () => string,
): CutResult {
  const batches: OutboundBatch[] = [];
  let oversize = 0;
  let parts: string[] = [];
  let id = nextId();
  let head = `{"type":"ingest","id":${JSON.stringify(id)},"events":[`;
  let bytes = head.length + 2;
  const close = (): void => {
    if (parts.length === 0) return;
    batches.push({ id, frame: `${head}${parts.join(',')}]}`, count: parts.length, waiters: [] });
    parts = [];
    id = nextId();
    head = `{"type":"ingest","id":${JSON.stringify(id)},"events":[`;
    bytes = head.length + 2;
  };
  for (const event of events) {
    const part = JSON.stringify(event);
    const size = encoder.encode(part).length + 1;
    if (head.length + 2 + size > maxFrameBytes) {
      oversize += 1;
      continue;
    }
    if (parts.length >= batchSize || bytes + size > maxFrameBytes) close();
    parts.push(part);
    bytes += size;
  }
  close();
  return { batches, oversize };
}

/** One outcome for a `send()` cut into several batches: the first failure, else the saved total. */
export function combinedResult(results: readonly SendResult[]): SendResult {
  const failed = results.find((result) => !result.ok);
  if (failed) return failed;
  return { ok: true, saved: results.reduce((sum, result) => sum + (result.ok ? result.saved : 0), 0) };
}

/** The server's `retryAfter` (seconds) in ms; 0 when it sent none or nonsense. */
export function retryAfterMs(retryAfter: unknown): number {
  return typeof retryAfter === 'number' && Number.isFinite(retryAfter) ? retryAfter * 1000 : 0;
}
