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
        '--cors-origin',
        'https://app.example.com',
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
        cors: { origins: ['https://app.example.com'] },
      },
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
    ];
    for (const [argv, message] of errors) {
      const command = parseCli(argv, {});
      expect(command.kind, argv.join(' ')).toBe('error');
      expect(command.kind === 'error' ? command.message : '', argv.join(' ')).toMatch(message);
    }
  });
});
