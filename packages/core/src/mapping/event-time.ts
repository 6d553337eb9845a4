/** How far a client's clock may be from the server's for its timestamps to be believed. */
export interface ClockSkew {
  /** How far behind the server's clock (ms, default 24 h: a batch a tab kept while offline). */
  pastMs: number;
  /** How far ahead (ms, default 5 min: clocks drift, but not into the future). */
  futureMs: number;
}

export const DEFAULT_CLOCK_SKEW: Readonly<ClockSkew> = Object.freeze({
  pastMs: 24 * 60 * 60 * 1000,
  futureMs: 5 * 60 * 1000,
});

export interface EventTime {
  /** The event's time: the client's when believable, else the receive time. */
  at: number;
  /** True when the client sent a time that was unreadable or outside the skew. */
  adjusted: boolean;
  /** True when `at` is the client's clock (false: the server's). */
  clientTimed: boolean;
}

/**
 * The time an event happened. Durations and engagement come from client clocks (a batch sent 3 s
 * after its page view must not shorten the visit), but a clock that is far off would put events
 * on the wrong day, so it is only believed within `skew` of the server's clock.
 *
 * @example
 * eventTime(Date.parse('2026-01-01T10:00:00Z'), Date.parse('2026-01-01T10:00:03Z'), DEFAULT_CLOCK_SKEW);
 * // { at: 1767261600000, adjusted: false, clientTimed: true }
 */
export function eventTime(clientTime: number | undefined, receivedAt: number, skew: ClockSkew): EventTime {
  // No time from the client (a server-side call, a hand-made request): the receive time is the time.
  if (clientTime === undefined) return { at: receivedAt, adjusted: false, clientTimed: false };
  if (!Number.isFinite(clientTime)) return { at: receivedAt, adjusted: true, clientTimed: false };
  if (clientTime < receivedAt - skew.pastMs || clientTime > receivedAt + skew.futureMs) {
    return { at: receivedAt, adjusted: true, clientTimed: false };
  }
  return { at: Math.round(clientTime), adjusted: false, clientTimed: true };
}
