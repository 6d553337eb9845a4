import type { TrackInput } from './track-inputs.ts';
import type { Skopos, TrackResult } from './types.ts';

/** A `trackNow` call that threw (a bug or a failing store), kept as a value for its batch's answer. */
export class TrackThrew {
  constructor(readonly error: unknown) {}
}

/**
 * Starts `skopos.trackNow(input)` and catches what it throws where the call starts, so that a
 * transport can start every event of a batch first and read the outcomes in order afterwards,
 * never leaving an unhandled rejection. Synchronous outcomes come back as they are: a batch of
 * events whose sessions are live allocates no promise.
 */
export function trackSettled(
  skopos: Skopos,
  input: TrackInput,
): TrackResult | TrackThrew | Promise<TrackResult | TrackThrew> {
  try {
    const result = skopos.trackNow(input);
    return result instanceof Promise ? result.then(undefined, threw) : result;
  } catch (error) {
    return new TrackThrew(error);
  }
}

function threw(error: unknown): TrackThrew {
  return new TrackThrew(error);
}
