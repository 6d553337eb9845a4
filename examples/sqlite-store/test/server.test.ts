import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_HEADERS, type RunningExample, startExample } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/index.ts';

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));

let example: RunningExample | undefined;
let dir: string | undefined;
afterEach(() => {
  example?.kill();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  delete process.env.SQLITE_FILE;
});

describe('server.mjs', () => {
  it('stores a tracked page view in the database file, saved on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'skopos-sqlite-server-'));
    const file = join(dir, 'skopos.sqlite');
    process.env.SQLITE_FILE = file; // startExample hands the test's environment to the child
    example = await startExample(SERVER);
    const answer = await fetch(`${example.origin}/_tracker/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'pageView', url: 'https://example.com/pricing' }] }),
    });
    expect(await answer.json()).toMatchObject({ accepted: 1 });
    // Stopped before the 1 s batch interval: shutdown must write the queued event, then save.
    expect(await example.stop()).toBe(0);

    const store = await sqliteStore({ file });
    const page = await store.query({});
    expect(page.events.map((event) => event.path)).toEqual(['/pricing']);
    await store.close?.();
  });
});
