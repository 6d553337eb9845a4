import type { MaybePromise } from '../util/maybe-promise.ts';
import type { TrackerEvent } from '../validation/payload-types.ts';

/**
 * Moves batches of tracker events from a client (browser, or a server forwarding its events)
 * to a Skopos server. Resolve once the server accepted the batch; reject (or answer
 * `{ ok: false }`) to have the caller re-queue it and retry on the next flush.
 */
export interface Transport {
  readonly name: string;
  send(events: TrackerEvent[], options?: SendOptions): MaybePromise<SendResult>;
  /** Best-effort delivery while the page or process is going away (e.g. `navigator.sendBeacon`). */
  sendFinal?(events: TrackerEvent[]): boolean;
  close?(): MaybePromise<void>;
}

export interface SendOptions {
  signal?: AbortSignal;
}

export type SendResult =
  | { ok: true; saved: number }
  | { ok: false; retryable: boolean; status?: number; reason: string };
