import { SkoposError } from '@skopos/core';

/** What one request holds of the body budget: its body's bytes, from the first byte to its answer. */
export interface BodyLease {
  /**
   * Holds `total` bytes in all for the request; `false`, and nothing more held, when they do not
   * fit. `declared`: the length the request declares, when it does (a body declared larger than
   * `SMALL_BODY_BYTES` never uses the small bodies' reserve, even for its first bytes).
   */
  hold(total: number, declared?: number): boolean;
  /** Gives back everything held (again: nothing). */
  release(): void;
  readonly held: number;
}

/**
 * Request body bytes held by all requests of a server at once: the bytes of the bodies being read,
 * as they arrive (never what a request declares: 64 sockets declaring 1 MiB each and sending one
 * byte would hold the whole default budget for nothing), and those whose events are being tracked.
 * 4096 connections may each send a 1 MiB batch, 4 GiB in all; past the budget a write is answered
 * 503 with `Retry-After`, which trackers retry, so a burst of large batches costs time, not events
 * or the process. One client (an address, an IPv6 /64) may hold an
 * eighth of it, so that a client trickling bodies on its 64 connections cannot hold it all.
 */
export interface BodyBudget {
  /** A lease for one request of `client` (its limits bucket; '' when the address is unknown). */
  lease(client: string): BodyLease;
  /** Bytes held now, by all requests. */
  readonly held: number;
}

/** 64 of the largest batches (1 MiB) at once; typical batches are a few KB, so thousands of them. */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 64 * 1024 * 1024;
/** Each client's share of the budget: 8 MiB of the default, eight of the largest batches. */
const CLIENT_SHARE = 1 / 8;
/**
 * A body of at most this many bytes (a tracker's batch is a few KB) may also use a reserve of an
 * eighth of the budget past it: clients trickling large bodies can fill the budget, yet small
 * batches still get in (to fill the reserve too, they must send its bytes, not only declare them).
 */
export const SMALL_BODY_BYTES = 64 * 1024;

/** A lease that holds nothing back: the budget is off. */
export const UNBOUNDED_LEASE: BodyLease = { hold: () => true, release() {}, held: 0 };

/**
 * The budget of `maxBytes` (0 = no budget: every hold succeeds, nothing is counted). A body alone
 * (nothing else held: by anybody, or by its client) always fits, whatever its size: refusing it
 * forever would block its client, whose tracker sends the same batch again and again.
 */
export function createBodyBudget(maxBytes: number = DEFAULT_MAX_BODY_BYTES_IN_FLIGHT): BodyBudget {
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] maxBodyBytesInFlight must be an integer ≥ 0 (0 = off), got ${String(maxBytes)}`,
    );
  }
  const share = Math.ceil(maxBytes * CLIENT_SHARE);
  const withReserve = maxBytes + share;
  const byClient = new Map<string, number>();
  let held = 0;
  return {
    get held() {
      return held;
    },
    lease(client) {
      if (maxBytes === 0) return UNBOUNDED_LEASE;
      let own = 0;
      const add = (bytes: number): void => {
        held += bytes;
        if (client === '') return;
        const total = (byClient.get(client) ?? 0) + bytes;
        if (total > 0) byClient.set(client, total);
        else byClient.delete(client);
      };
      return {
        get held() {
          return own;
        },
        hold(total, declared = 0) {
          const more = total - own;
          if (more <= 0) return true;
          const small = total <= SMALL_BODY_BYTES && declared <= SMALL_BODY_BYTES;
          const fitsAll = held + more <= (small ? withReserve : maxBytes) || held === own;
          const clientHeld = byClient.get(client) ?? 0;
          const fitsClient = client === '' || clientHeld + more <= share || clientHeld === own;
          if (!fitsAll || !fitsClient) return false;
          add(more);
          own = total;
          return true;
        },
        release() {
          add(-own);
          own = 0;
        },
      };
    },
  };
}
