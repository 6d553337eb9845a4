import { createLogger, type LogLevel } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCli } from './cli-args.ts';
import type { RunningServer } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.doUnmock('@skopos/geoip');
  vi.resetModules();
});

describe('skopos serve --geoip', () => {
  it('is a serve flag and nothing else', () => {
    expect(parseCli(['serve', '--geoip'], {})).toEqual({ kind: 'serve', options: { geoip: true } });
    expect(parseCli(['serve'], {})).toEqual({ kind: 'serve', options: {} });
    expect(parseCli(['demo', '--geoip'], {})).toEqual({
      kind: 'error',
      message: '--geoip is not an option of demo',
    });
  });

  it('places a visitor by IP when no CDN header does, and lets a CDN header win', async () => {
    const lines: [LogLevel, string][] = [];
    server = await startServer({
      port: 0,
      geoip: true,
      // Loopback is the only peer here: the client address comes from X-Forwarded-For.
      pipeline: { trustProxy: 'loopback' },
      logger: createLogger({ sink: (level, message) => lines.push([level, message]) }),
    });
    const post = (path: string, headers: Record<string, string>) =>
      fetch(server?.endpoints.write ?? '', {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, ...headers },
        body: batchOf([path], 'geo-app'),
      });
    expect((await post('/uk', { 'x-forwarded-for': '81.2.69.142' })).status).toBe(200);
    expect((await post('/cdn', { 'x-forwarded-for': '8.8.8.8', 'cf-ipcountry': 'FR' })).status).toBe(200);
    await server.skopos.flush();
    const stats = await server.skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect(stats.countries).toEqual(
      expect.arrayContaining([
        { key: 'GB', count: 1 },
        { key: 'FR', count: 1 },
      ]),
    );
    expect(lines).toContainEqual(['info', expect.stringMatching(/geoip-lite loaded in \d+ ms/)]);
  });

  it('without @skopos/geoip installed, refuses to start and says what to install', async () => {
    vi.doMock('@skopos/geoip', () => {
      throw new Error("Cannot find package '@skopos/geoip'");
    });
    // Fresh modules, so that start-server imports the mocked (missing) package; its core is fresh too.
    const { startServer: start } = await import('./start-server.ts');
    const { SkoposError } = await import('@skopos/core');
    const error: unknown = await start({ port: 0, geoip: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkoposError);
    expect(error).toMatchObject({
      code: 'dependency_missing',
      message: expect.stringContaining('npm i @skopos/geoip'),
    });
  });
});
