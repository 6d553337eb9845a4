import { parseCli } from './cli-args.ts';
import type { CliIo } from './cli-io.ts';
import { runDemo } from './run-demo.ts';
import { runPocketBase } from './run-pocketbase.ts';
import { serveUntilStopped } from './run-serve.ts';
import { USAGE } from './usage.ts';
import { packageVersion } from './version.ts';

/** Runs `skopos …` and resolves with the process exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const command = parseCli(argv, env);
  if (command.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    io.out(packageVersion());
    return 0;
  }
  if (command.kind === 'error') {
    io.err(`skopos: ${command.message}\n\n${USAGE}`);
    return 2;
  }
  // Listen for signals before anything is printed: a supervisor may signal as soon as it sees the URL.
  const stop = io.waitForStop(() => {
    io.err('skopos: second signal, exiting without waiting for the flush');
  });
  if (command.kind === 'pocketbase') return runPocketBase(io, stop, command.pocketbase);
  if (command.kind === 'demo') return runDemo(io, stop, command.pocketbase, command.options);
  return serveUntilStopped(io, stop, command);
}
