import { describe, expect, it } from 'vitest';
import { inferReadEndpoint } from './endpoints.ts';
import { resolveOptions, type TrackerPluginOptions } from './options.ts';
import { trackerPlugin } from './plugin.ts';

describe('trackerPlugin options', () => {
  it("applies seed 002's defaults", () => {
    expect(resolveOptions({ appId: 'my-app' })).toEqual({
      appId: 'my-app',
      storage: { mode: 'auto', port: 4242, batchSize: 25, flushInterval: 3000, maxBufferSize: 500000 },
      dashboard: { route: '/_tracker/dashboard' },
    });
  });

  it('rejects a websocket endpoint that is not ws:// or wss://, naming the option, when the plugin is created', () => {
    expect(() =>
      trackerPlugin({
        appId: 'my-app',
        storage: { mode: 'websocket', wsEndpoint: 'http://api.myapp.com/tracker/ws' },
      }),
    ).toThrow('storage.wsEndpoint must start with ws:// or wss://');
    expect(() => trackerPlugin({ appId: 'my-app', storage: { mode: 'websocket' } })).toThrow(
      "storage.wsEndpoint is required when storage.mode is 'websocket'",
    );
    expect(
      resolveOptions({
        appId: 'a',
        storage: { mode: 'websocket', wsEndpoint: 'wss://api.myapp.com/tracker/ws' },
      }).storage.wsEndpoint,
    ).toBe('wss://api.myapp.com/tracker/ws');
  });

  it('names the option in every other error', () => {
    const bad = (options: unknown) => () => resolveOptions(options as TrackerPluginOptions);
    expect(bad({ appId: 'a', storage: { mode: 'http' } })).toThrow(
      "storage.writeEndpoint is required when storage.mode is 'http'",
    );
    expect(bad({ appId: 'a', storage: { batchSize: 0 } })).toThrow('storage.batchSize must be ≥ 1');
    expect(bad({ appId: 'a', storage: { port: 70000 } })).toThrow('storage.port must be from 0 to 65535');
    expect(bad({ appId: 'a', storage: { mode: 'ftp' } })).toThrow('storage.mode must be one of');
    expect(bad({ appId: 'a', storage: { writeEndpoint: 'ftp://x' } })).toThrow(
      'storage.writeEndpoint must be an http(s) URL',
    );
    expect(bad({ appId: 'a', storage: { flushIntervall: 5 } })).toThrow('unknown option flushIntervall');
    expect(bad({ storage: {} })).toThrow('appId must be a string');
  });

  it("infers readEndpoint by dropping the write endpoint's last segment, as seed 002's example does", () => {
    expect(inferReadEndpoint('https://api.myapp.com/tracker/ingest')).toBe('https://api.myapp.com/tracker');
    expect(inferReadEndpoint('https://api.myapp.com/tracker/events')).toBe('https://api.myapp.com/tracker');
    expect(inferReadEndpoint('/_tracker/events')).toBe('/_tracker');
  });
});
