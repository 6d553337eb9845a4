import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.ts';
import { CLEAN_ENV } from './test-cli.ts';

describe('runCli', () => {
  it('a deliberate second signal: says it exits without waiting for the flush (cli.ts then exits 130)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    let repeat: (() => void) | undefined;
    let stop: ((signal: string) => void) | undefined;
    const code = runCli(['serve', '--port', '0', '--no-dashboard'], CLEAN_ENV, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      waitForStop(onRepeat) {
        repeat = onRepeat;
        return new Promise((resolve) => {
          stop = resolve;
        });
      },
    });
    await vi.waitFor(() => expect(out.join('\n')).toMatch(/listening on http:\/\//), { timeout: 15_000 });
    expect(err.join('\n')).not.toContain('second signal');
    repeat?.();
    expect(err.join('\n')).toContain('skopos: second signal, exiting without waiting for the flush');
    stop?.('SIGTERM');
    expect(await code).toBe(0);
    expect(out.join('\n')).toMatch(/flushed \d+ events on shutdown/);
  });
});
