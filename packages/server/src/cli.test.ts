import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { freePort, retryTakenPorts } from '@skopos/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, CLEAN_ENV as ENV, startCli, stopLeftovers } from './test-cli.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let child: ChildProcess | undefined;

beforeAll(assertBuilt);

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await stopLeftovers();
});

/** Playwright's headless Chromium with its default user agent: dropped as a bot. */
const HEADLESS =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const CURL = 'curl/8.5.0';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: ENV }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Resolves with the server URL the CLI prints once it listens; collects every stdout line. */
function waitForUrl(proc: ChildProcess, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (data: string) => {
      buffer += data;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      }
    });
    proc.once('exit', (code) =>
      reject(new Error(`the CLI exited (${code}) before listening: ${lines.join('\n')}`)),
    );
  });
}

describe('skopos CLI', () => {
  it('serve on port 0: prints its URLs, ingests, and on SIGTERM flushes and exits 0', async () => {
    const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const lines: string[] = [];
    const url = await waitForUrl(proc, lines);
    const response = await fetch(`${url}/_tracker/events`, {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: batchOf(['/one', '/two'], 'cli-app'),
    });
    expect(await response.json()).toEqual({ accepted: 2, signals: 0, dropped: [], rejected: [] });
    // The memory store is written at once: read right after the answer, no waiting.
    const read = (await (await fetch(`${url}/_tracker?site=cli-app`)).json()) as { events: unknown[] };
    expect(read.events).toHaveLength(2);
    const script = await fetch(`${url}/skopos.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('_tracker/events');
    // 'close', not 'exit': the last stdout lines may still be in the pipe when the process exits.
    const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.join('\n')).toContain(`POST ${url}/_tracker/events`);
    expect(lines.join('\n')).toContain(`GET  ${url}/_tracker/ping`);
    expect(lines.join('\n')).toMatch(
      /flushed \d+ events on shutdown \(2 stored since start, 0 dropped as bots\)/,
    );
    expect(lines.join('\n')).toContain(`script      ${url}/skopos.js`);
  });

  it('bots: one log line per kind of bot, naming the check and the user agent; the count in the shutdown line', async () => {
    const cli = startCli(['serve', '--port', '0']);
    const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
    const post = (userAgent: string) =>
      fetch(`${url}/_tracker/events`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'user-agent': userAgent },
        body: batchOf(['/a', '/b'], 'bots'),
      });
    for (const ua of [HEADLESS, HEADLESS, CURL]) expect((await post(ua)).status).toBe(200);
    await cli.waitFor(/dropped an event: bot: .*\(curl\/8\.5\.0\)/);
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    const out = cli.stdout.join('\n');
    // Two requests from the headless browser, one line, which says how to test with one.
    expect(out.match(/dropped an event: bot: [^\n]*HeadlessChrome/g)).toHaveLength(1);
    expect(out).toMatch(/headless browser/);
    expect(out).toMatch(/\(0 stored since start, 6 dropped as bots\)/);
    expect(out).toMatch(/dropped since start: 6 bot \(/);
  });

  it('--max-buffer: a full memory buffer warns once when it starts evicting, and the shutdown says how many went', async () => {
    const cli = startCli(['serve', '--port', '0', '--max-buffer', '3']);
    const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
    const response = await fetch(`${url}/_tracker/events`, {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: batchOf(['/1', '/2', '/3', '/4', '/5'], 'small'),
    });
    expect(await response.json()).toMatchObject({ accepted: 5 });
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    const out = cli.stdout.join('\n');
    const log = `${out}\n${cli.stderr.join('')}`;
    expect(log.match(/the memory store is at its size limit and evicts its oldest events/g)).toHaveLength(1);
    expect(out).toMatch(/\(5 stored since start, 0 dropped as bots\)/);
    expect(out).toContain('evicted since start: 2 of the oldest stored events, to stay within --max-buffer');
  });

  it('--max-buffer-mb: large events are evicted once they hold more than that many MiB, whatever their count', async () => {
    const cli = startCli(['serve', '--port', '0', '--no-dashboard', '--max-buffer-mb', '1']);
    const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
    // 160 events of ~8,000 characters of custom data each: 1.2 MiB, in batches under the body limit.
    const note = 'x'.repeat(8000);
    for (let batch = 0; batch < 4; batch++) {
      const events = Array.from({ length: 40 }, (_, i) => ({
        type: 'custom',
        name: 'big',
        url: `https://example.com/${batch}/${i}`,
        siteId: 'big',
        customData: { note },
      }));
      const response = await fetch(`${url}/_tracker/events`, {
        method: 'POST',
        headers: BROWSER_HEADERS,
        body: JSON.stringify({ events }),
      });
      expect(await response.json()).toMatchObject({ accepted: 40 });
    }
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    const out = cli.stdout.join('\n');
    expect(out).toMatch(/\(160 stored since start, 0 dropped as bots\)/);
    const evicted = Number(/evicted since start: (\d+) of the oldest stored events/.exec(out)?.[1]);
    // 1 MiB holds 131 such events: the rest made room.
    expect(evicted).toBeGreaterThanOrEqual(160 - 131);
    expect(evicted).toBeLessThan(160);
    expect(out).toContain('or --max-buffer-mb');
  });

  it('two signals at once (one Ctrl+C seen by npm and by the server): the flush runs and the exit code is 0, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const cli = startCli(['serve', '--port', '0', '--no-dashboard']);
      await cli.waitFor(/listening on (http:\/\/\S+)/);
      process.kill(cli.proc.pid ?? 0, 'SIGINT');
      process.kill(cli.proc.pid ?? 0, 'SIGINT');
      expect(await cli.closed, `round ${round}: ${cli.stderr.join('')}`).toBe(0);
      expect(cli.stdout.join('\n')).toMatch(/flushed \d+ events on shutdown/);
    }
  });

  it('a busy port: exit code 1, and the message names a free port to use instead', async () => {
    // A port below the OS's own range: the free one named next to it is then not one the OS may
    // give another test's socket before the server binds it.
    const holder = createServer();
    await retryTakenPorts(
      5,
      async () => {
        const picked = await freePort();
        await new Promise<void>((resolve, reject) => {
          holder.once('error', reject);
          holder.listen(picked, '127.0.0.1', () => {
            holder.off('error', reject);
            resolve();
          });
        });
      },
      (error) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE',
    );
    const { port } = holder.address() as AddressInfo;
    try {
      const busy = await run(['serve', '--port', String(port)]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      const free = Number(/--port (\d+) \(free now/.exec(busy.stderr)?.[1]);
      expect(free).toBeGreaterThan(port);
      const cli = startCli(['serve', '--port', String(free)]);
      expect(await cli.waitFor(/listening on (http:\/\/\S+)/)).toBe(`http://127.0.0.1:${free}`);
      cli.proc.kill('SIGTERM');
      expect(await cli.closed).toBe(0);
    } finally {
      holder.close();
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('--help prints the usage and exits 0; a bad flag exits 2 with the reason', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: skopos <command>');
    expect(help.stdout).toContain('--api-key');
    const bad = await run(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be an integer');
  });
});
