import type { Pausable } from './in-flight.ts';

/** Longest single hold: short enough that a held socket's pongs are read well within a heartbeat. */
export const MAX_HOLD_MS = 5000;

/** A socket's reading, paused while the in-flight limiter or a write-rate hold wants it paused. */
export interface PauseGate {
  /** What the in-flight limiter pauses and resumes. */
  limiter: Pausable;
  /** Stops reading for `ms` (at most `MAX_HOLD_MS`) unless a hold runs already; TCP then holds the client's next frames. */
  hold(ms: number): void;
  /**
   * Whether a hold (at most `MAX_HOLD_MS`) keeps the socket unread: its pongs wait, it is not dead.
   * A limiter pause does not count: it lasts as long as the client reads none of its answers, and a
   * client that stopped reading is one the heartbeat should end.
   */
  held(): boolean;
  /** The socket is gone: no timer is left behind. */
  close(): void;
}

/**
 * Two reasons to stop reading a socket, each resumed on its own: the limiter resuming a socket
 * must not end a hold, nor a hold ending resume a socket the limiter keeps paused.
 */
export function createPauseGate(socket: Pausable): PauseGate {
  let limited = false;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  const resumeIfFree = (): void => {
    if (!limited && holdTimer === undefined) socket.resume();
  };
  return {
    limiter: {
      pause() {
        limited = true;
        socket.pause();
      },
      resume() {
        limited = false;
        resumeIfFree();
      },
    },
    hold(ms) {
      // Not extended by the frames read before it began: the socket is read again at its end.
      if (holdTimer !== undefined) return;
      socket.pause();
      holdTimer = setTimeout(
        () => {
          holdTimer = undefined;
          resumeIfFree();
        },
        Math.min(Math.max(ms, 0), MAX_HOLD_MS),
      );
      holdTimer.unref?.();
    },
    held: () => holdTimer !== undefined,
    close() {
      clearTimeout(holdTimer);
      holdTimer = undefined;
    },
  };
}
