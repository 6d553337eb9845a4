import { describe, expect, it } from 'vitest';
import { createInFlightLimiter, type Pausable, type Slot } from './in-flight.ts';

function socket(): Pausable & { paused: boolean } {
  return {
    paused: false,
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
  };
}

function takeAll(acquire: () => Slot | undefined, count: number): Slot[] {
  return Array.from({ length: count }, () => {
    const slot = acquire();
    if (!slot) throw new Error('refused');
    return slot;
  });
}

describe('createInFlightLimiter', () => {
  it('pauses a connection at its limit, refuses what it still reads, and resumes it at half', () => {
    const limiter = createInFlightLimiter({ perConnection: 4, total: 100 });
    const a = socket();
    const flow = limiter.open(a);
    const slots = takeAll(() => flow.acquire(), 4);
    expect(a.paused).toBe(true);
    expect(flow.acquire()).toBeUndefined();
    for (const slot of slots.slice(0, 2)) slot.release();
    expect(a.paused).toBe(false);
    expect(limiter.stats()).toMatchObject({
      inFlight: 2,
      peakInFlightPerConnection: 4,
      pauses: 1,
      refused: 1,
    });
  });

  it('keeps a client whose answers are not written out off the server-wide count, not off its own', () => {
    const limiter = createInFlightLimiter({ perConnection: 3, total: 4 });
    const reader = socket();
    const slow = limiter.open(socket());
    // Handled and answered, but the client reads nothing: its answers wait in the socket.
    for (const slot of takeAll(() => slow.acquire(), 3)) slot.handled();
    expect(slow.acquire()).toBeUndefined();
    const other = limiter.open(reader);
    takeAll(() => other.acquire(), 3);
    expect(limiter.stats()).toMatchObject({ inFlight: 3, peakInFlight: 3 });
  });

  it('holds other connections at the server-wide limit, lets auth through, and resumes them as slots free', () => {
    const limiter = createInFlightLimiter({ perConnection: 8, total: 2 });
    const first = limiter.open(socket());
    const [one, two] = takeAll(() => first.acquire(), 2) as [Slot, Slot];
    const waiting = socket();
    const second = limiter.open(waiting);
    expect(second.acquire()).toBeUndefined();
    expect(waiting.paused).toBe(true);
    expect(second.acquire('essential')).toBeDefined();
    // A frame of a client that never re-sends is kept past both limits; the socket stays paused.
    const kept = second.acquire('kept');
    expect(kept).toBeDefined();
    expect(waiting.paused).toBe(true);
    kept?.release();
    one.release();
    two.release();
    expect(waiting.paused).toBe(false);
    first.close();
    expect(limiter.stats()).toMatchObject({ inFlight: 1, pausedConnections: 0 });
  });
});
