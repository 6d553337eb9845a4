import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startClickHouse } from './clickhouse-server.ts';

describe('startClickHouse', () => {
  it('says how to install ClickHouse when the binary is missing', async () => {
    await expect(startClickHouse({ binary: '/nonexistent/clickhouse-server' })).rejects.toThrow(
      /apt-get install -y clickhouse-server/,
    );
  });

  it("reports the server's log when it exits before /ping answers, and removes its directory", async () => {
    // `false` exits at once with status 1: the helper must not wait for the whole timeout.
    const started = Date.now();
    const error = await startClickHouse({ binary: '/bin/false', startTimeoutMs: 20_000 }).catch(
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exited \(1\) before \/ping answered Ok\./);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('starts a server that answers, then stops it by pid and removes its directory', async () => {
    const server = await startClickHouse();
    try {
      const response = await fetch(`${server.url}/ping`);
      expect(await response.text()).toBe('Ok.\n');
      expect(existsSync(server.dir)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
    expect(() => process.kill(server.pid, 0), 'the process is gone').toThrow();
    await server.stop();
  });
});
