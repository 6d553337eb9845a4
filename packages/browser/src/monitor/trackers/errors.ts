import type { ErrorTrackOptions } from '../options.ts';
import type { MonitorEmit, TrackerContext } from '../types.ts';
import { matches, quiet } from './match.ts';

/** A property of whatever was thrown or rejected (an `Error`, a string, `null`…). */
const field = (value: unknown, key: 'message' | 'stack' | 'name'): unknown =>
  (value as Partial<Record<typeof key, unknown>> | null | undefined)?.[key];

/**
 * vite-plugin-monitor's error tracker: uncaught errors (`{ message, stack, filename, lineno, colno,
 * errorType }`) and unhandled rejections (`{ message, stack, errorType }`) as `error` events, except
 * messages matching `ignoreMessages`. Bubbling phase on `window`, so failed `<img>`/`<script>` loads,
 * which do not bubble, are not reported (as in vite-plugin-monitor).
 *
 * @example
 * const stop = setupErrorTracker(emit, { ignoreMessages: [/^ResizeObserver loop/] }, context);
 */
export function setupErrorTracker(
  emit: MonitorEmit,
  options: ErrorTrackOptions | true,
  _context: TrackerContext,
): () => void {
  const ignore = (options === true ? undefined : options.ignoreMessages) ?? [];
  const report = (message: string, thrown: unknown, rest: Record<string, unknown>, type: string): void => {
    if (!matches(message, ignore)) {
      emit('error', 'error', {
        message,
        stack: field(thrown, 'stack'),
        ...rest,
        errorType: field(thrown, 'name') ?? type,
      });
    }
  };
  const onError = quiet((e: ErrorEvent) =>
    report(
      e.message || 'Unknown error',
      e.error,
      { filename: e.filename, lineno: e.lineno, colno: e.colno },
      'Error',
    ),
  );
  const onRejection = quiet(({ reason }: PromiseRejectionEvent) =>
    report(
      String(field(reason, 'message') ?? (reason === undefined ? 'Unhandled promise rejection' : reason)),
      reason,
      {},
      'UnhandledRejection',
    ),
  );
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return () => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  };
}
