import type { EventTime } from '../mapping/event-time.ts';
import type { LiveSession } from './session-tracker.ts';

/**
 * The time to count an event at in its session: the client's clock for client-timed events
 * (learning how far it is from the server's), and a server-timed event moved onto that clock, so
 * that a visitor whose clock is 2 h behind does not get a 2 h visit from one server-side call.
 */
export function sessionTime(live: LiveSession, time: EventTime, receivedAt: number): number {
  if (time.clientTimed) {
    const offset = receivedAt - time.at;
    if (live.clockOffset === undefined || offset < live.clockOffset) live.clockOffset = offset;
    return time.at;
  }
  return live.clockOffset === undefined ? time.at : receivedAt - live.clockOffset;
}
