// `skopos serve` flags that used to be taken without a word: `--cors-origin '*'` (allowed no origin),
// an empty key (turned the key off), a `--journal` path that is a file (two misleading lines).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, startCli, stopLeftovers } from './test-cli.ts';

let root: string;

beforeAll(async () => {
  assertBuilt();
  root = await mkdtemp(join(tmpdir(), 'skopos-flag-checks-'));
});
afterEach(stopLeftovers);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const LISTENING = /listening on (http:\/\/\S+)/;

describe('skopos serve --cors-origin', () => {
  it("'*' lets any page call every route, and the summary says so", async () => {
    const cli = startCli(['serve', '--port', '0', '--cors-origin', '*']);
    const url = await cli.waitFor(LISTENING);
    for (const route of ['/_tracker/events', '/_tracker/stats']) {
      const preflight = await fetch(`${url}${route}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status, route).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin'), route).toBe('https://x.example');
    }
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    expect(cli.stdout).toContain('  cors: any origin, on every route');
  });

  it('a value that is not an origin: exit 2, naming the flag, the value and what is wrong', async () => {
    const bad = await runCli(['serve', '--cors-origin', 'notaurl']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^skopos: --cors-origin "notaurl" is not an origin: it is not a URL; /);
    const mixed = await runCli(['serve', '--cors-origin', '*,https://a.example']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--cors-origin * allows every origin, so it cannot be listed with');
  });
});

describe('skopos serve with an empty key', () => {
  it('--api-key "$TRACKER_API_KEY" with the variable unset: exit 2, saying what to do', async () => {
    for (const flag of ['--api-key', '--read-key', '--dashboard-password']) {
      const result = await runCli(['serve', flag, '']);
      expect(result.code, flag).toBe(2);
      expect(result.stderr, flag).toMatch(
        new RegExp(`^skopos: ${flag} is empty: if it comes from a variable`),
      );
    }
  });

  it('variables set but empty count as unset: the summary names each one on the line it changes', async () => {
    const empty = { TRACKER_API_KEY: '', SKOPOS_READ_KEY: '', SKOPOS_DASHBOARD_PASSWORD: '' };
    const cli = startCli(['serve', '--port', '0'], empty);
    const url = await cli.waitFor(LISTENING);
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    const out = cli.stdout.join('\n');
    expect(out).toContain(
      `  dashboard   ${url}/_tracker/dashboard (no login: SKOPOS_DASHBOARD_PASSWORD is set but empty, taken as unset)`,
    );
    expect(out).toContain(
      '  write key: none: any page may post events; TRACKER_API_KEY is set but empty, taken as unset',
    );
    expect(out).toMatch(/ {2}reads: this machine .*; SKOPOS_READ_KEY is set but empty, taken as unset/);
    // Without --site, sites are created on first use: the summary says how many, and what to do.
    expect(out).toContain(
      '  sites: any siteId or appId, created on first use (up to 1000: name your sites with --site when others can reach this server)',
    );
  });

  it('an empty dashboard password where one is required: the refusal is followed by why it was unset', async () => {
    // Refused before the server listens: nothing binds 0.0.0.0.
    const result = await runCli(['serve', '--port', '0', '--host', '0.0.0.0'], {
      env: { SKOPOS_DASHBOARD_PASSWORD: '' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('the dashboard needs a login because it listens on 0.0.0.0'),
      'skopos: SKOPOS_DASHBOARD_PASSWORD is set but empty, so it was taken as unset',
    ]);
  });
});

describe('skopos serve --journal <dir> that cannot be used', () => {
  it('a file, or a path under one: exit 1 and one line naming --journal <dir> and the reason', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a directory');
    const cases = [
      [file, `${file} is a file, not a directory`],
      [join(file, 'journal'), `${join(file, 'journal')} cannot be created (part of its path is a file)`],
    ] as const;
    for (const [dir, reason] of cases) {
      const result = await runCli(['serve', '--port', '0', '--journal', dir]);
      expect(result.code, dir).toBe(1);
      expect(result.stdout, dir).toBe('');
      // One line: no "could not close the journal" from a pipeline that never opened it.
      expect(result.stderr, dir).toBe(
        `skopos: [skopos/server] the journal directory (--journal <dir>) ${reason}: name a directory the server can write (it is created if missing)\n`,
      );
    }
  });

  it('permission denied: a directory it cannot create, or one it cannot write', async () => {
    const parent = join(root, 'read-only');
    await mkdir(parent);
    await chmod(root, 0o755);
    await chmod(parent, 0o555);
    // Root writes anywhere: run the CLI as nobody then, so that the permission check is real.
    const user = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};
    const cases = [
      [join(parent, 'journal'), 'cannot be created (permission denied)'],
      [parent, 'is not writable (permission denied)'],
    ] as const;
    for (const [dir, reason] of cases) {
      const result = await runCli(['serve', '--port', '0', '--journal', dir], user);
      expect(result.code, dir).toBe(1);
      expect(result.stderr, dir).toBe(
        `skopos: [skopos/server] the journal directory (--journal <dir>) ${dir} ${reason}: name a directory the server can write (it is created if missing)\n`,
      );
    }
  });
});
