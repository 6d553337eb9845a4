/**
 * How long after the first stop signal another one is taken for the same Ctrl+C. A terminal sends
 * SIGINT to its whole foreground process group, and `npm start` / `npm run` forward the one they get
 * to their child as well, so one key press reaches the server twice within a few milliseconds. A
 * person pressing Ctrl+C again because the flush takes too long does so well after this.
 */
export const SAME_PRESS_MS = 500;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The part of `process` this needs: an emitter of signal events (an `EventEmitter` in tests). */
export interface SignalSource {
  on(signal: string, listener: (signal: string) => void): unknown;
}

export interface StopSignalOptions {
  /** Milliseconds from any fixed point: `performance.now` for a process. */
  now(): number;
  /** A later, deliberate signal: say why the process exits, then `exit(130)` ends it. */
  onRepeat(): void;
  exit(code: number): void;
}

/**
 * Resolves with the first SIGINT or SIGTERM. A later one at least {@link SAME_PRESS_MS} after it
 * means "stop now": `onRepeat`, then `exit(130)`. The one listener stays for the life of the process:
 * were it removed, Node would restore the default action, and a duplicate arriving then would kill
 * the process without a word or an exit code.
 */
export function waitForStopSignal(source: SignalSource, options: StopSignalOptions): Promise<string> {
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const listener = (signal: string): void => {
      const at = options.now();
      if (firstAt === undefined) {
        firstAt = at;
        resolve(signal);
        return;
      }
      if (at - firstAt < SAME_PRESS_MS) return;
      options.onRepeat();
      options.exit(130);
    };
    for (const name of STOP_SIGNALS) source.on(name, listener);
  });
}
