import { on } from './listen.ts';

type Report = (error: { errorMessage: string; stackTrace: string }) => void;

/**
 * Reports uncaught errors and unhandled rejections once per distinct message + stack (at most 100
 * per page load, so that an error loop cannot flood the endpoint), cut to the server's wire limits
 * (errorMessage ≤ 4096, stackTrace ≤ 16384). Never re-entrant: whatever reporting throws is caught
 * here, so it cannot become an `error` event that reports itself again.
 */
export function captureErrors(report: Report): void {
  const seen = new Set<string>();
  const send = (error: { message?: unknown; stack?: unknown } | undefined): void => {
    try {
      // `||`: an empty message falls back to the error's own name (`${new TypeError()}` is "TypeError").
      const errorMessage = `${error?.message || error}`.slice(0, 4096);
      const stackTrace = `${error?.stack ?? ''}`.slice(0, 16_384);
      // `add` grows the set only for a new key: one call both checks and records it.
      if (seen.size < 100 && seen.size < seen.add(errorMessage + stackTrace).size)
        report({ errorMessage, stackTrace });
    } catch {
      // A thrown value whose toString throws: nothing readable to report.
    }
  };
  // No `error` value: a resource that failed to load (img, script), or a cross-origin script's
  // opaque "Script error." — nothing to debug in either (serve scripts with `crossorigin`).
  on(window, 'error', (event: ErrorEvent) => event.error && send(event.error));
  on(window, 'unhandledrejection', (event: PromiseRejectionEvent) => send(event.reason));
}
