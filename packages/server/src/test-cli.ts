import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The `skopos` bin, as npm links it; it runs the build in `dist/`. */
export const CLI = fileURLToPath(new URL('../bin/skopos.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));

/** The child must not inherit a developer's SKOPOS_*, PocketBase or API key settings. */
export const CLEAN_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      !key.startsWith('SKOPOS_') &&
      !key.startsWith('PB_') &&
      key !== 'POCKETBASE_URL' &&
      key !== 'TRACKER_API_KEY',
  ),
);

export function assertBuilt(): void {
  if (!existsSync(BUILT))
    throw new Error(`${BUILT} is missing: run \`turbo run build --filter=@skopos/server...\` first`);
}

/** A running `skopos …` (or another command) with its output so far. */
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

/** How a `skopos …` run by `runCli` ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `skopos …` to its end, for commands that exit by themselves (errors, `--help`). `uid` and
 * `gid` run it as another user: a test running as root checks what a permission error says.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  const { env = {}, ...user } = options;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...CLEAN_ENV, ...env }, ...user },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): CliProcess {
  return startProcess(process.execPath, [CLI, ...args], {
    env: { ...CLEAN_ENV, ...env },
    ...(cwd ? { cwd } : {}),
  });
}

/** Any command (a shell line, `npm run …`), watched like `startCli`; `detached` = its own process group. */
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
            `skopos exited (${code}) before printing ${pattern}:\n${stdout.join('\n')}\n${stderr.join('')}`,
          ),
        ),
      );
    });
  return { proc, stdout, stderr, waitFor, closed };
}
