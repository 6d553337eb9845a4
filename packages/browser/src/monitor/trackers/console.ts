import type { ConsoleMethod, ConsoleTrackOptions } from '../options.ts';
import type { MonitorEmit, MonitorLevel, TrackerContext } from '../types.ts';
import { matches, quiet } from './match.ts';
import { consoleMessage, serializeArg } from './serialize.ts';

type Print = (...args: unknown[]) => void;

const LEVELS: Partial<Record<ConsoleMethod, MonitorLevel>> = {
  log: 'info',
  info: 'info',
  table: 'info',
  clear: 'info',
  warn: 'warn',
  assert: 'warn',
  error: 'error',
};
const METHODS = Object.keys(LEVELS).concat(
  'debug trace group groupCollapsed groupEnd count countReset time timeEnd timeLog dir dirxml'.split(' '),
) as ConsoleMethod[];
/** The dev server's and the client's own lines, always ignored (vite-plugin-monitor). */
const OWN = [/\[vite\]/, /\[HMR\]/, /\[tracker\]/];

/**
 * vite-plugin-monitor's console tracker: each call of the chosen `methods` (default all 19) still
 * prints, then sends a `console` event `{ method, message, args, stack?, groupDepth }`: `info` for
 * log/info/table/clear, `warn` for warn/assert, `error` for error, `debug` for the rest. Args: at most
 * `maxArgs` (default 10), each cut at `maxArgLength` (default 1024). Not sent: a passing `assert`, a
 * first argument matching `[vite]`, `[HMR]`, `[tracker]` or `ignorePatterns`, and anything logged
 * while an event is being sent (a sender that logs would otherwise loop).
 *
 * @example
 * const stop = setupConsoleTracker(emit, { methods: ['error', 'warn'] }, context);
 */
export function setupConsoleTracker(
  emit: MonitorEmit,
  options: ConsoleTrackOptions | true,
  _context: TrackerContext,
): () => void {
  const o: ConsoleTrackOptions = options === true ? {} : options;
  const { maxArgs = 10, maxArgLength = 1024 } = o;
  const ignore = [...OWN, ...(o.ignorePatterns ?? [])];
  const restores: (() => void)[] = [];
  let depth = 0;
  let busy = false;

  const report = quiet((method: ConsoleMethod, args: unknown[], stack: string | undefined) => {
    if (method === 'assert' && args.shift()) return;
    if (matches(args.length ? String(args[0]) : '', ignore)) return;
    const serialized = args.slice(0, maxArgs).map((a) => serializeArg(a, maxArgLength));
    if (args.length > maxArgs)
      serialized.push({ type: 'truncated', value: `[${args.length - maxArgs} more args]` });
    emit('console', LEVELS[method] ?? 'debug', {
      method,
      message: consoleMessage(args),
      args: serialized,
      // Without the `Error` line and this tracker's frame: the stack starts at the caller.
      stack: stack?.split('\n').slice(2).join('\n'),
      groupDepth: depth,
    });
  });

  for (const method of new Set(o.methods ?? METHODS)) {
    const original = console[method] as Print | undefined;
    if (typeof original !== 'function') continue;
    console[method] = function (this: Console, ...args: unknown[]) {
      original.apply(this, args);
      if (method === 'groupEnd') depth = Math.max(0, depth - 1);
      if (!busy) {
        busy = true;
        const stack =
          method === 'trace' || (method === 'error' && o.captureStackOnError) ? new Error().stack : undefined;
        report(method, args, stack);
        busy = false;
      }
      // Counted even when the group's own line is ignored, so later lines keep their true depth.
      if (method === 'group' || method === 'groupCollapsed') depth++;
    };
    restores.push(() => {
      console[method] = original;
    });
  }
  return () => {
    for (const restore of restores) restore();
  };
}
