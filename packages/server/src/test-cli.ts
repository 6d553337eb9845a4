import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CliProcess, startProcess } from '@skopos/test-utils';

export { type CliProcess, startProcess, stopLeftovers } from '@skopos/test-utils';

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
