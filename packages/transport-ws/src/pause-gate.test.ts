import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPauseGate, MAX_HOLD_MS } from './pause-gate.ts';

function socket() {
  const state = { paused: false };
  return {
    state,
    pause: () => {
      state.paused = true;
    },
    resume: () => {
      state.paused = false;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createPauseGate', () => {
  it('keeps a held socket paused when the limiter resumes it, and resumes it when the hold ends', () => {
    vi.useFakeTimers();
    const s = socket();
    const gate = createPauseGate(s);
    gate.hold(300);
    expect(s.state.paused).toBe(true);
    expect(gate.held()).toBe(true);
    gate.limiter.pause();
    gate.limiter.resume();
    expect(s.state.paused, 'the hold is not over').toBe(true);
    vi.advanceTimersByTime(200);
    gate.hold(300); // a frame read before the hold began: it does not extend it
    vi.advanceTimersByTime(100);
    expect(s.state.paused).toBe(false);
    expect(gate.held()).toBe(false);
  });

  it('leaves a socket the limiter paused paused when a hold ends', () => {
    vi.useFakeTimers();
    const s = socket();
    const gate = createPauseGate(s);
    gate.limiter.pause();
    expect(gate.held(), 'a limiter pause is no hold').toBe(false);
    gate.hold(100);
    vi.advanceTimersByTime(100);
    expect(s.state.paused, 'the limiter still holds it').toBe(true);
    gate.limiter.resume();
    expect(s.state.paused).toBe(false);
  });

  it(`holds at most ${MAX_HOLD_MS} ms, and leaves no timer once closed`, () => {
    vi.useFakeTimers();
    const s = socket();
    const gate = createPauseGate(s);
    gate.hold(60_000);
    vi.advanceTimersByTime(MAX_HOLD_MS);
    expect(s.state.paused).toBe(false);
    gate.hold(1000);
    gate.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
