// Every `skopos serve …` example that `skopos --help` prints starts as written: two of them once
// exited 1 (a dashboard that needed a login), and a user copies these lines first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PocketBaseInstance } from '@skopos/pocketbase-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, startCli, stopLeftovers } from './test-cli.ts';
import { SUPERUSER, startPocketBaseWithSites } from './test-pocketbase.ts';

/** The PocketBase the examples name: `skopos pocketbase`'s default address. */
const EXAMPLE_POCKETBASE = 'http://127.0.0.1:8090';

/** What a user would have in each variable an example names; a new variable needs a line here. */
const SAMPLES: Record<string, string> = {
  TRACKER_API_KEY: 'sample-write-key',
  SKOPOS_READ_KEY: 'sample-read-key',
  SKOPOS_DASHBOARD_PASSWORD: 'sample-dashboard-password',
  PB_ADMIN_EMAIL: SUPERUSER.email,
  PB_ADMIN_PASSWORD: SUPERUSER.password,
};

function sample(name: string): string {
  const value = SAMPLES[name];
  if (value === undefined) throw new Error(`an example uses $${name}: give it a sample value in SAMPLES`);
  return value;
}

/** The example lines of the help, continuation lines joined and comments dropped. */
function examplesOf(help: string): string[] {
  const start = help.indexOf('\nExamples:\n');
  const end = help.indexOf('\n\n', start + 1);
  return help
    .slice(start + '\nExamples:\n'.length, end)
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim());
}

/**
 * An example as a shell would run it: `NAME=… ` prefixes and `"$NAME"` words become sample values,
 * the other words stay as they are, unquoted.
 */
function commandOf(line: string): { env: Record<string, string>; args: string[] } {
  const words = line.match(/"[^"]*"|\S+/g) ?? [];
  const env: Record<string, string> = {};
  for (let word = words[0]; word !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(word); word = words[0]) {
    const [name = '', value = ''] = word.split('=');
    env[name] = value === '…' ? sample(name) : value;
    words.shift();
  }
  const args = words.map((word) => {
    const variable = /^"\$([A-Z_][A-Z0-9_]*)"$/.exec(word)?.[1];
    if (variable === undefined) return word.replace(/^"(.*)"$/, '$1');
    env[variable] = sample(variable);
    return env[variable];
  });
  return { env, args };
}

assertBuilt();
const help = await runCli(['--help']);
const examples = examplesOf(help.stdout).filter((line) => /(^|\s)skopos serve(\s|$)/.test(line));

let pb: PocketBaseInstance;
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'skopos-help-examples-'));
  pb = await startPocketBaseWithSites(['my-app']);
});
afterEach(stopLeftovers);
afterAll(async () => {
  await pb?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('skopos --help examples', () => {
  it('prints serve examples to check', () => {
    expect(help.code).toBe(0);
    // Fewer would mean the help's layout changed under examplesOf, and nothing below is checked.
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s: starts, and stops with exit 0 on SIGTERM', async (example) => {
    const { env, args } = commandOf(example);
    expect(args.slice(0, 2)).toEqual(['skopos', 'serve']);
    // A free port instead of the example's (the last --port wins), and this test's PocketBase for the
    // one `skopos pocketbase` would have started.
    const argv = [...args.slice(1).map((arg) => (arg === EXAMPLE_POCKETBASE ? pb.url : arg)), '--port', '0'];
    const cli = startCli(argv, env, cwd);
    await cli.waitFor(/listening on (http:\/\/\S+)/);
    cli.proc.kill('SIGTERM');
    expect(await cli.closed, cli.stderr.join('')).toBe(0);
  });
});
