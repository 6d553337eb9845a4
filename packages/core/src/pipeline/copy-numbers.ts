import { LruCache } from '../util/lru.ts';
import type { PreparedEvent } from './prepared-event.ts';

/** Tabs whose numbering is remembered, per site: the copies of one millisecond each, the least recent forgotten. */
const MAX_TABS = 10_000;

/** One batch a client sent (`TrackInput.batch`): one object per received batch, with its number of events. */
export interface BatchToken {
  /** The number of events in the batch, when the transport knows it. */
  readonly size?: number | undefined;
}

/** The numbering of one tab (vite-plugin-monitor's `sessionId`) on one site. */
interface Tab {
  /** The batch being numbered now. */
  batch: object;
  /** Its first event's identity (a hash) and its size: what tells a re-send of it. */
  first: number;
  size: number;
  /** Copies numbered before this batch began, of identities of the client millisecond `startTime`. */
  start: Map<number, number>;
  startTime: number;
  /**
   * Copies numbered so far of identities of the client millisecond `latest`, this batch's included:
   * an event of a later millisecond cannot be a copy of them, so they are dropped when one comes
   * (a tab's state stays as small as its busiest millisecond).
   */
  counts: Map<number, number>;
  latest: number;
}

/** FNV-1a, 32 bits: a collision only shares copy numbers between two identities, never merges them. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Tells apart identical copies of an event. An identity derived from the event's content
 * (vite-plugin-monitor's client sends no id) is the same for two `console.log('tick')` of one tab in
 * the same millisecond, which are two events: the n-th copy gets the suffix n. A re-sent batch must
 * get the same numbers again, so that it is stored once.
 *
 * Numbers run on per tab across batches: that client flushes as soon as its queue holds `batchSize`
 * events, so 30 ticks of one millisecond leave as 25 + 5, and the 5 are copies 25–29, not a re-send
 * of copies 0–4. A batch is a re-send of the tab's previous one when it starts with the same event
 * and is at least as long: the client puts a failed batch back at the front of its queue and sends
 * it whole, with newer events after it. (A batch identical to the previous one is taken for its
 * re-send: content cannot tell them apart, and storing a re-send twice is the worse mistake.)
 * Only copies of the tab's latest client millisecond are kept: an event of a later one cannot be a
 * copy of them. Events without a tab are numbered per batch; without a batch, copies are one event.
 */
export function createCopyNumbers(): (
  event: PreparedEvent,
  batch: BatchToken | undefined,
  siteId: string,
) => void {
  const tabs = new LruCache<string, Tab>(MAX_TABS);
  const perBatch = new WeakMap<object, Map<number, number>>();

  function begin(tab: Tab, batch: object, first: number, size: number): void {
    const resend = first === tab.first && size >= tab.size;
    if (!resend) {
      tab.start = tab.counts;
      tab.startTime = tab.latest;
    }
    tab.batch = batch;
    tab.first = first;
    tab.size = size;
    tab.counts = new Map(tab.start);
    tab.latest = tab.startTime;
  }

  function tabCounts(
    event: PreparedEvent,
    batch: BatchToken & object,
    key: string,
    identity: number,
  ): Map<number, number> {
    const size = typeof batch.size === 'number' ? batch.size : Number.POSITIVE_INFINITY;
    const time = event.clientTime ?? 0;
    let tab = tabs.get(key);
    if (tab === undefined) {
      tab = {
        batch,
        first: identity,
        size,
        start: new Map(),
        startTime: time,
        counts: new Map(),
        latest: time,
      };
      tabs.set(key, tab);
    } else if (tab.batch !== batch) {
      begin(tab, batch, identity, size);
    }
    if (time > tab.latest) {
      tab.counts = new Map();
      tab.latest = time;
    }
    return tab.counts;
  }

  return (event, batch, siteId) => {
    const identity = event.clientEventId;
    if (!event.derivedIdentity || identity === undefined || typeof batch !== 'object' || batch === null)
      return;
    const hash = hash32(identity);
    const tab = event.monitor?.clientSessionId;
    let counts: Map<number, number> | undefined;
    if (tab === undefined || tab === '') {
      counts = perBatch.get(batch);
      if (counts === undefined) {
        counts = new Map();
        perBatch.set(batch, counts);
      }
    } else {
      counts = tabCounts(event, batch, `${siteId}\u0000${tab}`, hash);
    }
    const copies = counts.get(hash) ?? 0;
    counts.set(hash, copies + 1);
    if (copies > 0) event.clientEventId = `${identity}\u0000${copies}`;
  };
}
