import { readFileSync } from 'node:fs';
import { SkoposError } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { inferReadEndpoint } from './endpoints.ts';
import { resolveOptions, type TrackerPluginOptions } from './options.ts';
import { optionDocs } from './options-docs.ts';
import { CONSOLE_METHODS } from './options-types.ts';
import { trackerPlugin } from './plugin.ts';

/** The message of what `resolveOptions` throws for these options. */
function problems(options: unknown): string {
  try {
    resolveOptions(options as TrackerPluginOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SkoposError);
    expect((error as SkoposError).code).toBe('invalid_options');
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
}

const userId = () => 'user-42';
/** vite-plugin-monitor 1.x's whole option tree, every option set to a value other than its default. */
const PEER_CONFIG = {
  appId: 'shop',
  enabled: true,
  autoInit: false,
  buildVersion: '2.4.1',
  track: {
    clicks: { ignoreRoutes: ['/admin', /^\/private/], ignoreSelectors: ['.no-track'] },
    http: {
      captureRequestHeaders: true,
      captureRequestBody: true,
      captureResponseHeaders: true,
      captureResponseBody: true,
      excludeHeaders: ['x-internal'],
      redactKeys: ['fiscalCode'],
      maxBodySize: 512,
      ignoreMethods: ['OPTIONS'],
      ignoreUrls: ['/health', /analytics\.example\.com/],
    },
    errors: { ignoreMessages: [/ResizeObserver/] },
    navigation: { ignoreRoutes: ['/login'], ignoreTypes: ['replaceState'] },
    console: {
      methods: ['error', 'warn'],
      maxArgLength: 200,
      maxArgs: 3,
      captureStackOnError: true,
      ignorePatterns: ['[app]'],
    },
    level: 'warn',
    userId,
  },
  storage: {
    mode: 'standalone',
    port: 4343,
    batchSize: 10,
    flushInterval: 1000,
    maxBufferSize: 1000,
    apiKey: 'k',
  },
  logging: {
    level: 'debug',
    transports: [
      {
        format: 'pretty',
        path: 'logs/shop.txt',
        rotation: { strategy: 'size', maxSize: '5mb', maxFiles: 3, compress: true },
      },
      { format: 'json', path: '/var/log/shop.jsonl' },
    ],
  },
  dashboard: {
    enabled: true,
    route: '/monitor',
    auth: { username: 'admin', password: 'secret' },
    includeInBuild: true,
    pollInterval: 5000,
  },
  overlay: { enabled: true, position: 'top-left' },
} satisfies TrackerPluginOptions;

describe('trackerPlugin options', () => {
  it("applies vite-plugin-monitor 1.x's defaults", () => {
    expect(resolveOptions({ appId: 'my-app' })).toEqual({
      appId: 'my-app',
      enabled: true,
      autoInit: true,
      track: { clicks: false, http: false, errors: false, navigation: false, console: true, level: 'info' },
      storage: { mode: 'auto', port: 4242, batchSize: 25, flushInterval: 3000, maxBufferSize: 500000 },
      logging: {
        level: 'info',
        transports: [
          {
            format: 'json',
            path: 'logs/my-app.log',
            rotation: { strategy: 'daily', maxFiles: 30, compress: false },
          },
        ],
      },
      dashboard: {
        enabled: false,
        route: '/_dashboard',
        auth: false,
        includeInBuild: false,
        pollInterval: 3000,
      },
      overlay: { enabled: false, position: 'bottom-right' },
    });
  });

  it('keeps every option of the peer, RegExps and the userId function included, filling in defaults', () => {
    const resolved = resolveOptions(PEER_CONFIG);
    expect(resolved.autoInit).toBe(false);
    expect(resolved.buildVersion).toBe('2.4.1');
    expect(resolved.track).toEqual({ ...PEER_CONFIG.track, userId });
    expect(resolved.track.userId?.()).toBe('user-42');
    expect(resolved.track.clicks).toMatchObject({ ignoreRoutes: ['/admin', /^\/private/] });
    expect(resolved.storage).toEqual(PEER_CONFIG.storage);
    expect(resolved.logging.transports).toEqual([
      { ...PEER_CONFIG.logging.transports[0], path: 'logs/shop.txt' },
      { format: 'json', path: '/var/log/shop.jsonl' },
    ]);
    expect(resolved.dashboard).toEqual(PEER_CONFIG.dashboard);
    expect(resolved.overlay).toEqual(PEER_CONFIG.overlay);
    // An options object is "on" with the defaults of the fields it leaves out.
    expect(resolveOptions({ appId: 'a', track: { console: { maxArgs: 3 }, http: {} } }).track).toMatchObject({
      console: { methods: [...CONSOLE_METHODS], maxArgLength: 1024, maxArgs: 3, ignorePatterns: [] },
      http: { captureRequestBody: false, maxBodySize: 2048, ignoreUrls: [] },
    });
  });

  it("reads vite-plugin-monitor 0.1's `dashboard: false` as enabled: false, and normalises the route", () => {
    expect(resolveOptions({ appId: 'a', dashboard: false }).dashboard).toEqual(
      resolveOptions({ appId: 'a', dashboard: { enabled: false } }).dashboard,
    );
    expect(resolveOptions({ appId: 'a', dashboard: { route: '/stats/' } }).dashboard.route).toBe('/stats');
    expect(resolveOptions({ appId: 'a', dashboard: { route: '/_tracker/dashboard' } }).dashboard.route).toBe(
      '/_tracker/dashboard',
    );
  });

  it('names every unknown key, at any depth, in one error', () => {
    const message = problems({
      appId: 'a',
      tracks: {},
      track: { clicks: { ignoreSelector: ['.x'] }, console: { method: ['log'] } },
      storage: { flushIntervall: 5 },
      logging: { transports: [{ format: 'json', path: 'x.log', rotation: { strategy: 'daily', keep: 3 } }] },
      dashboard: { auth: { username: 'u', password: 'p', realm: 'x' } },
      overlay: { corner: 'top-left' },
    });
    for (const line of [
      'tracks: unknown option',
      'track.clicks.ignoreSelector: unknown option',
      'track.console.method: unknown option',
      'storage.flushIntervall: unknown option',
      'logging.transports[0].rotation.keep: unknown option',
      'dashboard.auth.realm: unknown option',
      'overlay.corner: unknown option',
    ]) {
      expect(message).toContain(`\n  ${line}`);
    }
    expect(message.split('\n')).toHaveLength(8);
    // A typo gets the closest option at its place; a key like no option gets none.
    expect(message).toContain('tracks: unknown option (did you mean track?)');
    expect(message).toContain('track.clicks.ignoreSelector: unknown option (did you mean ignoreSelectors?)');
    expect(message).toContain('logging.transports[0].rotation.keep: unknown option\n');
  });

  it('validates functions and RegExps as such', () => {
    expect(problems({ appId: 'a', track: { userId: 'user-42' } })).toContain(
      'track.userId: must be a function returning the user id or null',
    );
    expect(problems({ appId: 'a', track: { http: { ignoreUrls: ['/x', 5, /y/] } } })).toContain(
      'track.http.ignoreUrls[1]: must be a string or a RegExp',
    );
    expect(problems({ appId: 'a', track: { clicks: { ignoreSelectors: [/x/] } } })).toContain(
      'track.clicks.ignoreSelectors[0]: must be a string, not a RegExp',
    );
  });

  it('says what each value must be, with its path', () => {
    const cases: [unknown, string][] = [
      [{ storage: {} }, 'appId: required'],
      [{ appId: '' }, 'appId: must not be empty'],
      [{ appId: 'a'.repeat(101) }, 'appId: must be at most 100 characters'],
      [{ appId: 'a', enabled: 'no' }, 'enabled: must be true or false, not "no"'],
      [{ appId: 'a', track: { console: 'yes' } }, 'track.console: must be true, false or an options object'],
      [
        { appId: 'a', track: { level: 'verbose' } },
        'track.level: must be one of "debug", "info", "warn", "error"',
      ],
      [
        { appId: 'a', track: { navigation: { ignoreTypes: ['load'] } } },
        'track.navigation.ignoreTypes[0]: must be one of',
      ],
      [{ appId: 'a', track: { console: { maxArgs: 0 } } }, 'track.console.maxArgs: must be ≥ 1'],
      [
        { appId: 'a', storage: { mode: 'http' } },
        "storage.writeEndpoint: required when storage.mode is 'http'",
      ],
      [
        { appId: 'a', storage: { mode: 'websocket' } },
        "storage.wsEndpoint: required when storage.mode is 'websocket'",
      ],
      // '' is not set (a blank .env line through loadEnv), as in vite-plugin-monitor.
      [
        { appId: 'a', storage: { mode: 'http', writeEndpoint: '' } },
        "storage.writeEndpoint: required when storage.mode is 'http'",
      ],
      [
        { appId: 'a', storage: { mode: 'websocket', wsEndpoint: '' } },
        "storage.wsEndpoint: required when storage.mode is 'websocket'",
      ],
      [
        { appId: 'a', storage: { mode: 'websocket', wsEndpoint: 'http://x' } },
        'storage.wsEndpoint: must start with ws:// or wss://',
      ],
      [{ appId: 'a', storage: { batchSize: 0 } }, 'storage.batchSize: must be ≥ 1'],
      [{ appId: 'a', storage: { port: 70000 } }, 'storage.port: must be ≤ 65535'],
      [{ appId: 'a', storage: { mode: 'ftp' } }, 'storage.mode: must be one of "auto", "middleware"'],
      [
        { appId: 'a', storage: { writeEndpoint: 'ftp://x' } },
        'storage.writeEndpoint: must be an http(s) URL',
      ],
      [
        { appId: 'a', logging: { transports: [{ format: 'xml' }] } },
        'logging.transports[0].format: must be one of "json", "pretty"',
      ],
      [{ appId: 'a', logging: { transports: [{ format: 'json' }] } }, 'logging.transports[0].path: required'],
      [
        {
          appId: 'a',
          logging: {
            transports: [{ format: 'json', path: 'x', rotation: { strategy: 'size', maxSize: '10 tb' } }],
          },
        },
        "logging.transports[0].rotation.maxSize: must be a size such as '10mb'",
      ],
      [{ appId: 'a', dashboard: true }, 'dashboard: must be false or an options object'],
      [{ appId: 'a', dashboard: { auth: { username: 'u' } } }, 'dashboard.auth.password: required'],
      [{ appId: 'a', dashboard: { auth: true } }, 'dashboard.auth: must be false or { username, password }'],
      [{ appId: 'a', dashboard: { route: 'stats' } }, 'dashboard.route: must be a path below /'],
      [
        { appId: 'a', dashboard: { route: '/_tracker' } },
        "dashboard.route: must not be under /_tracker, where the tracker's routes are",
      ],
      [{ appId: 'a', dashboard: { pollInterval: 100 } }, 'dashboard.pollInterval: must be ≥ 500'],
      [{ appId: 'a', overlay: { position: 'middle' } }, 'overlay.position: must be one of "bottom-right"'],
    ];
    for (const [options, line] of cases) expect(problems(options)).toContain(`\n  ${line}`);
  });

  it("reads an empty endpoint as not set (a blank .env line), so that 'auto' still runs in dev", () => {
    const blank = { writeEndpoint: '', readEndpoint: '', pingEndpoint: '', wsEndpoint: '' };
    const { storage } = resolveOptions({ appId: 'a', storage: blank });
    expect([storage.writeEndpoint, storage.readEndpoint, storage.pingEndpoint, storage.wsEndpoint]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('is checked when the plugin is created', () => {
    expect(() => trackerPlugin({ appId: 'my-app', storage: { mode: 'websocket' } })).toThrow(
      "storage.wsEndpoint: required when storage.mode is 'websocket'",
    );
  });

  it("infers readEndpoint as vite-plugin-monitor's plugin does: a trailing /events dropped, any other kept", () => {
    expect(inferReadEndpoint('https://api.myapp.com/tracker/events')).toBe('https://api.myapp.com/tracker');
    expect(inferReadEndpoint('https://api.myapp.com/tracker/events/')).toBe('https://api.myapp.com/tracker');
    expect(inferReadEndpoint('/_tracker/events')).toBe('/_tracker');
    expect(inferReadEndpoint('https://api.myapp.com/tracker/ingest')).toBe(
      'https://api.myapp.com/tracker/ingest',
    );
    expect(inferReadEndpoint('https://api.x/collect')).toBe('https://api.x/collect');
    expect(inferReadEndpoint('https://api.x/t/events?k=1')).toBe('https://api.x/t/events?k=1');
  });
});

describe("the README's options table", () => {
  it('lists exactly the schema’s option paths, with its defaults', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n### `mode`'));
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
      .map(([, path, , defaultCell]) => ({ path: path?.replace(/^`|`$/g, ''), default: defaultCell }));
    expect(rows).toEqual(optionDocs());
  });
});
