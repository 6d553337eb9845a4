// `skopos serve --log-dir`: stored events go to JSON-lines files, and a restart on the memory
// store reads them back (vite-plugin-monitor's `logging` and its buffer hydration).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function readBack(running: RunningServer): Promise<{ id: string; path: string }[]> {
  const read = await fetch(`${running.endpoints.read}?site=my-app&order=asc`);
  return ((await read.json()) as { events: { id: string; path: string }[] }).events;
}

describe('startServer({ logDir })', () => {
  it('logs every stored event and, after a restart, serves them again with the same ids', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skopos-log-dir-'));
    server = await startServer({ port: 0, logger: silentLogger, logDir: dir });
    const posted = await fetch(server.endpoints.write, {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: batchOf(['/a', '/b', '/c'], 'my-app'),
    });
    expect(posted.status).toBe(200);
    await server.skopos.flush();
    const before = await readBack(server);
    expect(before.map((event) => event.path)).toEqual(['/a', '/b', '/c']);
    await server.close();

    const [file, ...others] = await readdir(dir);
    expect(others).toEqual([]);
    expect(file).toMatch(/^skopos-\d{4}-\d{2}-\d{2}\.log$/);
    const lines = (await readFile(join(dir, file as string), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(before.map((event) => event.id));

    server = await startServer({ port: 0, logger: silentLogger, logDir: dir });
    expect(await readBack(server)).toEqual(before);
  });
});
