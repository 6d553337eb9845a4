import { messageOf } from './cli-io.ts';
import { runCli } from './run-cli.ts';
import { waitForStopSignal } from './stop-signals.ts';

function waitForStop(onRepeat: () => void): Promise<string> {
  return waitForStopSignal(process, {
    now: () => performance.now(),
    onRepeat,
    exit: (code) => process.exit(code),
  });
}

runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  waitForStop,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A bug, not a user error: still one line, the message says what failed.
    process.stderr.write(`skopos: ${messageOf(error)}\n`);
    process.exit(1);
  },
);
