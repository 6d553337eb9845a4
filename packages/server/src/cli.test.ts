import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, CLEAN_ENV as ENV } from './test-cli.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let child: ChildProcess | undefined;

beforeAll(assertBuilt);

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

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
    // 'close', not 'exit': the last stdout lines may still be in the pipe when the process exits.
    const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.join('\n')).toContain(`POST ${url}/_tracker/events`);
    expect(lines.join('\n')).toContain(`GET  ${url}/_tracker/ping`);
    expect(lines.join('\n')).toMatch(/flushed \d+ events on shutdown \(2 stored since start\)/);
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
