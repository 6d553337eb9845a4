import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningExample {
  /** `http://127.0.0.1:<port>` as the example printed it. */
  origin: string;
  /** SIGTERM, then the exit code (the examples flush and exit 0). */
  stop(): Promise<number | null>;
  /** SIGKILL if still running (test cleanup). */
  kill(): void;
}

/** Starts an example app (`node <script>`) on a free port and resolves once it prints `listening on <url>`. */
export function startExample(script: string): Promise<RunningExample> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = (): void => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  };
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (!found?.[1]) return;
      const exited = once(child, 'exit');
      resolve({
        origin: found[1],
        kill,
        async stop() {
          child.kill('SIGTERM');
          return (await exited)[0] as number | null;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`example exited (${code}) before listening:\n${output}`)));
  });
}
