import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_HEADERS } from './test-support.ts';

const EXAMPLE = fileURLToPath(new URL('../../../examples/express/index.mjs', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  child = undefined;
});

/** Starts the example on a free port and resolves with its origin once it says it listens. */
async function startExample(): Promise<string> {
  const started = spawn(process.execPath, [EXAMPLE], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    started.once('exit', (code) =>
      reject(new Error(`example exited (${code}) before listening:\n${output}`)),
    );
  });
}

describe('examples/express', () => {
  it('takes an event on /api/event and a batch on /_tracker/events, then stops on SIGTERM', async () => {
    const origin = await startExample();
    const post = (path: string, body: unknown) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/event', { type: 'pageView', url: 'https://example.com/' })).status).toBe(204);
    const batch = await post('/_tracker/events', {
      events: [{ type: 'pageView', url: 'https://example.com/a' }],
    });
    expect(await batch.json()).toMatchObject({ accepted: 1 });

    const exited = once(child as ChildProcess, 'exit');
    process.kill((child as ChildProcess).pid as number, 'SIGTERM');
    expect((await exited)[0]).toBe(0);
  });
});
