import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-args.ts';

describe('parseCli', () => {
  it('reads every serve flag', () => {
    const command = parseCli(
      [
        'serve',
        '--port',
        '8080',
        '--host',
        '0.0.0.0',
        '--site',
        'shop=Example.com',
        '--site',
        'blog',
        '--api-key',
        'k',
        '--max-buffer',
        '1000',
        '--max-buffer-mb',
        '64',
        '--cors-origin',
        'https://app.example.com',
        '--cors-origin',
        'https://a.example, https://b.example',
        '--max-buffer-per-site',
        '100',
        '--rate-limit',
        '120/30',
        '--max-connections',
        '2000',
        '--max-connections-per-ip',
        '0',
        '--trust-proxy',
        'loopback, 10.0.0.0/8',
      ],
      {},
    );
    expect(command).toEqual({
      kind: 'serve',
      options: {
        port: 8080,
        host: '0.0.0.0',
        sites: [{ trackingId: 'shop', domain: 'example.com' }, { trackingId: 'blog' }],
        apiKey: 'k',
        maxBufferSize: 1000,
        maxBufferBytes: 64 * 1024 * 1024,
        maxEventsPerSite: 100,
        cors: { origins: ['https://app.example.com', 'https://a.example', 'https://b.example'] },
        rateLimit: { max: 120, windowMs: 30_000 },
        connections: { maxConnections: 2000, maxConnectionsPerIp: 0 },
        trustProxy: 'loopback, 10.0.0.0/8',
      },
    });
  });

  it('reads --trust-proxy as Express does, --rate-limit off, and refuses what would not work', () => {
    const trust = (value: string) => parseCli(['serve', '--trust-proxy', value], {});
    expect(trust('true')).toMatchObject({ options: { trustProxy: true } });
    expect(trust('false')).toMatchObject({ options: { trustProxy: false } });
    expect(trust('2')).toMatchObject({ options: { trustProxy: 2 } });
    expect(trust('uniquelocal')).toMatchObject({ options: { trustProxy: 'uniquelocal' } });
    expect(parseCli(['serve', '--rate-limit', 'off'], {})).toMatchObject({ options: { rateLimit: false } });
    expect(
      parseCli(['demo', '--store', 'memory', '--max-buffer-per-site', '50', '--rate-limit', '10/1'], {}),
    ).toEqual({
      kind: 'demo',
      options: {
        sites: [{ trackingId: 'demo' }],
        maxEventsPerSite: 50,
        rateLimit: { max: 10, windowMs: 1000 },
      },
    });
    const errors: [string[], RegExp][] = [
      [['serve', '--trust-proxy', 'localhost'], /--trust-proxy "localhost"/],
      [['serve', '--rate-limit', '600'], /--rate-limit must be <requests>\/<seconds>/],
      [['serve', '--rate-limit', '0/60'], /--rate-limit/],
      [['serve', '--max-connections', '1.5'], /--max-connections must be an integer/],
      [['serve', '--max-connections-per-ip', 'many'], /--max-connections-per-ip/],
      [['serve', '--max-buffer-per-site', '0'], /--max-buffer-per-site/],
      [['demo', '--trust-proxy', 'true'], /--trust-proxy is not an option of demo/],
    ];
    for (const [argv, message] of errors) {
      const command = parseCli(argv, {});
      expect(command.kind === 'error' ? command.message : command.kind, argv.join(' ')).toMatch(message);
    }
  });

  it('reads the read key and the dashboard flags, the session secret from the environment only', () => {
    const env = { SKOPOS_SESSION_SECRET: 'a-secret-of-32-characters-at-least', SKOPOS_READ_KEY: 'r-env' };
    expect(
      parseCli(
        ['serve', '--dashboard-password', 'pw', '--dashboard-origin', 'https://stats.example.com'],
        env,
      ),
    ).toMatchObject({
      kind: 'serve',
      options: {
        readKey: 'r-env',
        dashboard: {
          password: 'pw',
          publicOrigin: 'https://stats.example.com',
          sessionSecret: 'a-secret-of-32-characters-at-least',
        },
      },
    });
    expect(parseCli(['serve', '--no-dashboard', '--dashboard-password', 'pw'], {})).toMatchObject({
      options: { dashboard: false },
    });
  });

  it('falls back to the environment, flags winning', () => {
    const env = {
      SKOPOS_PORT: '9000',
      SKOPOS_HOST: '::',
      SKOPOS_SITE: 'a=a.example, b',
      TRACKER_API_KEY: 'env-key',
    };
    expect(parseCli(['serve'], env)).toEqual({
      kind: 'serve',
      options: {
        port: 9000,
        host: '::',
        sites: [{ trackingId: 'a', domain: 'a.example' }, { trackingId: 'b' }],
        apiKey: 'env-key',
      },
    });
    const flagged = parseCli(['serve', '--port', '1234', '--api-key', 'flag-key'], env);
    expect(flagged).toMatchObject({ kind: 'serve', options: { port: 1234, apiKey: 'flag-key' } });
  });

  it('reads --log-dir, else SKOPOS_LOG_DIR; only serve takes it', () => {
    expect(parseCli(['serve', '--log-dir', './logs'], { SKOPOS_LOG_DIR: '/var/log/skopos' })).toEqual({
      kind: 'serve',
      options: { logDir: './logs' },
    });
    expect(parseCli(['serve'], { SKOPOS_LOG_DIR: '/var/log/skopos' })).toEqual({
      kind: 'serve',
      options: { logDir: '/var/log/skopos' },
    });
    expect(parseCli(['demo', '--log-dir', './logs'], {})).toEqual({
      kind: 'error',
      message: '--log-dir is not an option of demo',
    });
  });

  it('asks for help, and explains bad input instead of throwing', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['serve', '-h'], {})).toEqual({ kind: 'help' });
    const errors: [string[], RegExp][] = [
      [[], /missing command/],
      [['launch'], /unknown command "launch"/],
      [['serve', '--port', '70000'], /--port must be an integer from 0 to 65535/],
      [['serve', '--port', '12ab'], /--port/],
      [['serve', '--colour'], /colour/],
      [['serve', '--site', 'shop=https://example.com/'], /bare host/],
      [['serve', '--site', '=example.com'], /trackingId/],
      [['serve', '--max-buffer', '0'], /--max-buffer/],
      [['serve', '--max-buffer-mb', '0'], /--max-buffer-mb/],
      [['serve', '--max-buffer-mb', '1.5'], /--max-buffer-mb must be an integer/],
    ];
    for (const [argv, message] of errors) {
      const command = parseCli(argv, {});
      expect(command.kind, argv.join(' ')).toBe('error');
      expect(command.kind === 'error' ? command.message : '', argv.join(' ')).toMatch(message);
    }
  });
  it('refuses the size flags of the memory store next to a store that keeps every event', () => {
    const pocketbase = [
      '--pocketbase',
      'http://127.0.0.1:8090',
      '--admin-email',
      'a@b.c',
      '--admin-password',
      'p',
    ];
    const refusals: [string[], RegExp][] = [
      [
        ['serve', ...pocketbase, '--max-buffer', '10'],
        /--max-buffer sizes the memory store, and --pocketbase keeps every event/,
      ],
      [
        ['serve', '--clickhouse', 'http://127.0.0.1:8123', '--max-buffer-mb', '64'],
        /--max-buffer-mb .* --clickhouse/,
      ],
      [
        ['serve', '--clickhouse', 'http://127.0.0.1:8123', '--max-buffer-per-site', '5'],
        /--max-buffer-per-site/,
      ],
    ];
    for (const [argv, message] of refusals) {
      const command = parseCli(argv, {});
      expect(command.kind === 'error' ? command.message : command.kind, argv.join(' ')).toMatch(message);
    }
    expect(parseCli(['serve', ...pocketbase], {}).kind).toBe('serve');
  });

  it('serve --pocketbase takes the superuser from the environment, flags winning, and insists on one', () => {
    const env = {
      POCKETBASE_URL: 'http://127.0.0.1:8090/',
      PB_ADMIN_EMAIL: 'a@example.com',
      PB_ADMIN_PASSWORD: 'env-pw',
    };
    expect(parseCli(['serve', '--admin-password', 'flag-pw'], env)).toEqual({
      kind: 'serve',
      options: {},
      pocketbase: { url: 'http://127.0.0.1:8090', adminEmail: 'a@example.com', adminPassword: 'flag-pw' },
    });
    const missing = parseCli(['serve', '--pocketbase', 'http://127.0.0.1:8090'], {});
    expect(missing).toMatchObject({ kind: 'error' });
    expect(missing.kind === 'error' && missing.message).toContain('set PB_ADMIN_EMAIL and PB_ADMIN_PASSWORD');
    expect(parseCli(['serve', '--pocketbase', 'localhost:8090'], env)).toMatchObject({ kind: 'error' });
  });

  it('--store-timeout (else SKOPOS_STORE_TIMEOUT) bounds the requests to PocketBase or ClickHouse, in seconds', () => {
    const pb = ['serve', '--pocketbase', 'http://127.0.0.1:8090'];
    const superuser = { PB_ADMIN_EMAIL: 'a@example.com', PB_ADMIN_PASSWORD: 'pw' };
    expect(parseCli([...pb, '--store-timeout', '5'], superuser)).toMatchObject({
      pocketbase: { url: 'http://127.0.0.1:8090', timeoutMs: 5000 },
    });
    expect(parseCli(pb, { ...superuser, SKOPOS_STORE_TIMEOUT: '20' })).toMatchObject({
      pocketbase: { timeoutMs: 20_000 },
    });
    expect(parseCli(pb, superuser)).toEqual({
      kind: 'serve',
      options: {},
      pocketbase: { url: 'http://127.0.0.1:8090', adminEmail: 'a@example.com', adminPassword: 'pw' },
    });
    expect(
      parseCli(['serve', '--clickhouse', 'http://127.0.0.1:8123/db', '--store-timeout', '3'], {}),
    ).toEqual({
      kind: 'serve',
      options: {},
      shared: { clickhouse: { url: 'http://127.0.0.1:8123', database: 'db', timeoutMs: 3000 } },
    });
    for (const bad of ['0', '3601', 'soon', '1.5']) {
      expect(parseCli([...pb, '--store-timeout', bad], superuser)).toEqual({
        kind: 'error',
        message: `--store-timeout must be an integer from 1 to 3600, got "${bad}"`,
      });
    }
    expect(parseCli(pb, { ...superuser, SKOPOS_STORE_TIMEOUT: '0' })).toEqual({
      kind: 'error',
      message: 'SKOPOS_STORE_TIMEOUT must be an integer from 1 to 3600, got "0"',
    });
    expect(parseCli([...pb, '--store-timeout', ''], superuser)).toEqual({
      kind: 'error',
      message: expect.stringContaining('--store-timeout is empty: if it comes from a variable'),
    });
    expect(parseCli(['serve', '--store-timeout', '5'], {})).toEqual({
      kind: 'error',
      message: expect.stringContaining('the memory store makes none: drop it'),
    });
    // A variable left over in a shared environment does not stop a memory-store server.
    expect(parseCli(['serve'], { SKOPOS_STORE_TIMEOUT: '5' })).toEqual({ kind: 'serve', options: {} });
    expect(parseCli(['demo', '--store-timeout', '5'], {})).toMatchObject({ kind: 'error' });
  });

  it('serve --clickhouse and --redis: the database from the URL path, env fallbacks, clear refusals', () => {
    const command = parseCli(
      [
        'serve',
        '--clickhouse',
        'http://ingest:s3cret@10.0.0.5:8123/analytics/',
        '--redis',
        'redis://10.0.0.6:6379',
      ],
      {},
    );
    expect(command).toMatchObject({
      kind: 'serve',
      shared: {
        clickhouse: { url: 'http://ingest:s3cret@10.0.0.5:8123', database: 'analytics' },
        redis: 'redis://10.0.0.6:6379',
      },
    });
    expect(
      parseCli(['serve'], {
        SKOPOS_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
        SKOPOS_REDIS_URL: 'rediss://cache:6380',
      }),
    ).toMatchObject({
      shared: { clickhouse: { url: 'http://127.0.0.1:8123' }, redis: 'rediss://cache:6380' },
    });
    // PocketBase cannot keep the newest row of a session several servers write: refused, saying why.
    const env = { PB_ADMIN_EMAIL: 'a@b.c', PB_ADMIN_PASSWORD: 'pw' };
    expect(
      parseCli(['serve', '--pocketbase', 'http://127.0.0.1:8090', '--redis', 'redis://r:6379'], env),
    ).toEqual({
      kind: 'error',
      message: expect.stringContaining('use --clickhouse (PocketBase cannot yet)'),
    });
    expect(parseCli(['serve'], {})).not.toHaveProperty('shared');

    const refused = (args: string[]) => parseCli(['serve', ...args], env);
    expect(refused(['--clickhouse', 'tcp://user:hunter2@db:9000'])).toEqual({
      kind: 'error',
      message: expect.stringContaining('--clickhouse must be the http(s) URL'),
    });
    expect(JSON.stringify(refused(['--clickhouse', 'tcp://user:hunter2@db:9000']))).not.toContain('hunter2');
    expect(JSON.stringify(refused(['--redis', 'http://hunter2@cache:6379']))).not.toContain('hunter2');
    expect(refused(['--redis', 'http://user:hunter2@cache:6379'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--redis must be a redis:\/\/ .*user:\*\*\*@cache/),
    });
    expect(
      refused(['--pocketbase', 'http://127.0.0.1:8090', '--clickhouse', 'http://127.0.0.1:8123']),
    ).toEqual({
      kind: 'error',
      message: '--pocketbase and --clickhouse are two stores: pick one',
    });
    expect(parseCli(['demo', '--redis', 'redis://r:6379'], {})).toMatchObject({ kind: 'error' });
  });

  it('pocketbase and demo: defaults, sites, and flags that belong to another command', () => {
    expect(parseCli(['pocketbase', '--site', 'shop=example.com'], {})).toEqual({
      kind: 'pocketbase',
      pocketbase: { dir: '.skopos', port: 8090, sites: [{ trackingId: 'shop', domain: 'example.com' }] },
    });
    expect(
      parseCli(['pocketbase', '--port', '0', '--dir', 'data', '--admin-email', 'me@example.com'], {}),
    ).toEqual({
      kind: 'pocketbase',
      pocketbase: { dir: 'data', adminEmail: 'me@example.com', sites: [] },
    });
    expect(parseCli(['demo', '--port', '0'], {})).toEqual({
      kind: 'demo',
      pocketbase: { dir: '.skopos/demo', sites: [{ trackingId: 'demo' }] },
      options: { port: 0, sites: [{ trackingId: 'demo' }] },
    });
    expect(parseCli(['demo', '--store', 'memory'], { SKOPOS_PORT: '4300' })).toEqual({
      kind: 'demo',
      options: { port: 4300, sites: [{ trackingId: 'demo' }] },
    });
    expect(parseCli(['demo', '--store', 'redis'], {})).toEqual({
      kind: 'error',
      message: '--store must be "pocketbase" or "memory", got "redis"',
    });
    expect(parseCli(['demo', '--store', 'memory', '--dir', 'x'], {})).toMatchObject({ kind: 'error' });
    expect(parseCli(['pocketbase', '--api-key', 'k'], {})).toEqual({
      kind: 'error',
      message: '--api-key is not an option of pocketbase',
    });
  });

  it('--cors-origin: a lone * is any origin; every other value must be an origin, else the reason', () => {
    const cors = (...values: string[]) =>
      parseCli(['serve', ...values.flatMap((v) => ['--cors-origin', v])], {});
    // The HTTP transport reads only the string '*' as any origin: ['*'] would match no page at all.
    expect(cors('*')).toEqual({ kind: 'serve', options: { cors: { origins: '*' } } });
    expect(cors('*', ' * ')).toEqual({ kind: 'serve', options: { cors: { origins: '*' } } });
    // Written as browsers send Origin: no trailing slash, no default port, a lowercase host.
    expect(cors('HTTPS://App.Example.com:443/', 'http://localhost:5173,capacitor://localhost')).toEqual({
      kind: 'serve',
      options: {
        cors: { origins: ['https://app.example.com', 'http://localhost:5173', 'capacitor://localhost'] },
      },
    });
    const refused: [string[], string][] = [
      [['notaurl'], '--cors-origin "notaurl" is not an origin: it is not a URL'],
      [['localhost:5173'], '--cors-origin "localhost:5173" is not an origin: it is not a URL'],
      [
        ['https://a.example/app'],
        '--cors-origin "https://a.example/app" is not an origin: it has a path (/app)',
      ],
      [['https://a.example/?x=1'], 'it has a query or a fragment'],
      [['https://me:pw@a.example'], 'it has a user name'],
      [['https://*.example.com'], 'wildcards are not supported'],
      [
        ['*', 'https://a.example'],
        '--cors-origin * allows every origin, so it cannot be listed with https://a.example',
      ],
      [['https://a.example,*'], 'give * alone, or only the origins'],
      [[''], '--cors-origin is empty'],
    ];
    for (const [values, message] of refused) {
      const command = cors(...values);
      expect(command.kind === 'error' ? command.message : command, values.join(' ')).toContain(message);
    }
  });

  it('refuses an empty key or password flag, saying so; an empty variable counts as unset and is reported', () => {
    const flags = [
      ['--api-key', 'TRACKER_API_KEY', 'without a write key'],
      ['--read-key', 'SKOPOS_READ_KEY', 'without a read key'],
      ['--dashboard-password', 'SKOPOS_DASHBOARD_PASSWORD', 'without a dashboard login'],
    ] as const;
    for (const [flag, variable, without] of flags) {
      for (const empty of ['', '  ']) {
        const command = parseCli(['serve', flag, empty], { [variable]: 'set-in-env' });
        expect(command.kind === 'error' ? command.message : command, flag).toBe(
          `${flag} is empty: if it comes from a variable (${flag} "$${variable}"), that variable is unset or empty. Set it, or leave ${flag} out to run ${without}`,
        );
      }
    }
    expect(parseCli(['demo', '--dashboard-password', ''], {})).toEqual({
      kind: 'error',
      message: expect.stringContaining('leave --dashboard-password out and the demo makes one up'),
    });

    const empty = { TRACKER_API_KEY: '', SKOPOS_READ_KEY: ' ', SKOPOS_DASHBOARD_PASSWORD: '' };
    expect(parseCli(['serve'], empty)).toEqual({
      kind: 'serve',
      options: {},
      emptyEnv: ['TRACKER_API_KEY', 'SKOPOS_READ_KEY', 'SKOPOS_DASHBOARD_PASSWORD'],
    });
    // A flag wins over its empty variable, and --no-dashboard leaves no login for the password to miss.
    expect(parseCli(['serve', '--api-key', 'k', '--no-dashboard'], empty)).toEqual({
      kind: 'serve',
      options: { apiKey: 'k', dashboard: false },
      emptyEnv: ['SKOPOS_READ_KEY'],
    });
    // A directory flag given empty is refused too; its empty variable means none, as unset.
    for (const [flag, variable] of [
      ['--journal', 'SKOPOS_JOURNAL'],
      ['--log-dir', 'SKOPOS_LOG_DIR'],
    ] as const) {
      expect(parseCli(['serve', flag, ''], {})).toEqual({
        kind: 'error',
        message: `${flag} is empty: if it comes from a variable (${flag} "$${variable}"), that variable is unset or empty. Set it, or leave ${flag} out`,
      });
      expect(parseCli(['serve'], { [variable]: '' })).toEqual({ kind: 'serve', options: {} });
    }
    // The demo makes up a password when its variable is empty, as when it is unset.
    expect(parseCli(['demo', '--store', 'memory'], empty)).toEqual({
      kind: 'demo',
      options: { sites: [{ trackingId: 'demo' }] },
    });
  });
});
