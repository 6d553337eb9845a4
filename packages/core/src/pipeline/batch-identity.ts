import type { PreparedEvent } from './prepared-event.ts';

/** Per batch (`TrackInput.batch`), how many of its events had each derived identity so far. */
const seen = new WeakMap<object, Map<string, number>>();

/**
 * Tells apart identical copies of an event within one batch. An identity derived from the event's
 * content (vite-plugin-monitor's client sends no id) is the same for two `console.log('tick')` of
 * one tab in the same millisecond, which are two events: the n-th copy in a batch gets the suffix n.
 * A re-sent batch carries the same copies in the same order, so each gets the same identity again
 * and is stored once. The transports pass one `batch` object per received batch.
 */
export function batchIdentity(event: PreparedEvent, batch: object | undefined): void {
  const identity = event.clientEventId;
  if (!event.derivedIdentity || identity === undefined || typeof batch !== 'object' || batch === null) return;
  let counts = seen.get(batch);
  if (counts === undefined) {
    counts = new Map();
    seen.set(batch, counts);
  }
  const copies = counts.get(identity) ?? 0;
  counts.set(identity, copies + 1);
  if (copies > 0) event.clientEventId = `${identity}\u0000${copies}`;
}
