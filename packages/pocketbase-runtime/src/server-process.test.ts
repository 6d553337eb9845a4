import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findPocketBaseBinary } from './find-binary.ts';
import { serve } from './server-process.ts';

it('is not fooled by another server answering /api/health on the port it could not bind', async () => {
  // What a concurrent test's PocketBase looks like when both probed the same free port.
  const other = createServer((_request, response) => response.end('{"code":200}'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as AddressInfo;
  const dir = await mkdtemp(join(tmpdir(), 'skopos-pb-race-'));
  try {
    await expect(
      serve({
        binary: findPocketBaseBinary().path,
        flags: [`--dir=${dir}`, '--automigrate=false'],
        port,
        startTimeoutMs: 10_000,
      }),
    ).rejects.toThrow(/address already in use/);
  } finally {
    await new Promise((resolve) => other.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});
