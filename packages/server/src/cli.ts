import { messageOf } from './cli-io.ts';
import { runCli } from './run-cli.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function waitForStop(onRepeat: () => void): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: string): void => {
      for (const name of SIGNALS) {
        // A second Ctrl+C means "now": give up on the flush rather than hang. Added before `first`
        // is removed: with no listener left for a moment, Node restores the default action, and a
        // second signal arriving then (npm forwards the one the terminal sent the whole group)
        // would kill the process without a word or an exit code.
        process.once(name, () => {
          onRepeat();
          process.exit(130);
        });
        process.off(name, first);
      }
      resolve(signal);
    };
    for (const name of SIGNALS) process.on(name, first);
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
