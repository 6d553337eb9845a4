import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, startCli, stopLeftovers } from './test-cli.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

beforeAll(assertBuilt);
afterAll(stopLeftovers);

describe('skopos serve limits', () => {
  it('answers 429 past 600 writes a minute from one client; --trust-proxy makes forwarded clients distinct', async () => {
    const cli = startCli(['serve', '--port', '0', '--trust-proxy', 'loopback']);
    const url = await cli.waitFor(/listening on (http:\/\/\S+)/);
    const write = (ip: string, path: string) =>
      fetch(`${url}/_tracker/events`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'x-forwarded-for': ip },
        body: batchOf([path], 'limits'),
      });
    const statuses = new Set<number>();
    // 20 at a time, as a few busy tabs would; all within the default window of 60 s.
    for (let i = 0; i < 600; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) => write('198.51.100.1', `/${i + j}`));
      for (const response of await Promise.all(batch)) statuses.add(response.status);
    }
    expect([...statuses]).toEqual([200]);
    const limited = await write('198.51.100.1', '/601');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await write('198.51.100.2', '/other')).status).toBe(200);
    const stats = (await (await fetch(`${url}/_tracker/stats?site=limits`)).json()) as { visitors: number };
    expect(stats.visitors).toBe(2);
    const read = await fetch(`${url}/_tracker?site=limits`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(cli.stdout.join('\n')).toContain(
      // Behind a trusted proxy every connection is the proxy's: no cap per address unless set.
      'limits: 600 writes per 60 s per client, no cap per address',
    );
    expect(cli.stdout.join('\n')).toContain('proxy: X-Forwarded-For trusted from loopback');
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
  });
});
