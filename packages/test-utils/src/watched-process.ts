import { type ChildProcess, spawn } from 'node:child_process';

/** A running command (a `skopos …`, `npm run …`, a bench server) with its output so far. */
export interface CliProcess {
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first capture group of the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code once the process and its pipes closed. */
  closed: Promise<number | null>;
}

const running = new Set<ChildProcess>();
/** Started in their own process group: stopped as a group, so that no grandchild is left behind. */
const groups = new WeakSet<ChildProcess>();

function signal(proc: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (groups.has(proc) && proc.pid !== undefined) process.kill(-proc.pid, name);
    else proc.kill(name);
  } catch {
    // Already gone.
  }
}

/**
 * Stops what a failed test left running. SIGTERM rather than SIGKILL: the CLI then stops the
 * PocketBase it started, which a killed CLI would leave behind.
 */
export async function stopLeftovers(): Promise<void> {
  const left = [...running].filter((proc) => proc.exitCode === null && proc.signalCode === null);
  running.clear();
  await Promise.all(
    left.map(async (proc) => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      signal(proc, 'SIGTERM');
      const timer = setTimeout(() => signal(proc, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/**
 * Starts a command and watches its output: `waitFor` a line, `closed` for its exit code;
 * `stopLeftovers()` (in an `afterEach`) stops what a failed test left running. `detached` = its own
 * process group, stopped as a whole.
 */
export function startProcess(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {},
): CliProcess {
  const proc = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  if (options.detached) groups.add(proc);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (value: string) => void }[] = [];
  let buffer = '';
  proc.stdout?.setEncoding('utf8').on('data', (data: string) => {
    buffer += data;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      stdout.push(line);
      for (const waiter of waiters) {
        const match = waiter.pattern.exec(line);
        if (match) waiter.resolve(match[1] ?? match[0]);
      }
    }
  });
  proc.stderr?.setEncoding('utf8').on('data', (data: string) => stderr.push(data));
  // 'close', not 'exit': the last stdout lines may still be in the pipe when the process exits.
  const closed = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const waitFor = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const found = stdout.map((line) => pattern.exec(line)).find((match) => match !== null);
      if (found) return resolve(found[1] ?? found[0]);
      waiters.push({ pattern, resolve });
      void closed.then((code) =>
        reject(
          new Error(
            `${file} exited (${code}) before printing ${pattern}:\n${stdout.join('\n')}\n${stderr.join('')}`,
          ),
        ),
      );
    });
  return { proc, stdout, stderr, waitFor, closed };
}
