import { describe, expect, it } from 'vitest';
import { upgradeLegacyOptions } from './legacy-options.ts';
import { resolveOptions } from './options.ts';
import { trackerPlugin } from './plugin.ts';

describe('vite-plugin-monitor 1.0–1.2 options', () => {
  it('reads track.ignoreUrls as track.http.ignoreUrls, next to the new ones, and says so', () => {
    const { options, notices } = upgradeLegacyOptions({
      appId: 'a',
      track: { http: { ignoreUrls: [/analytics/] }, ignoreUrls: ['/health'] } as never,
    });
    expect(resolveOptions(options).track.http).toMatchObject({ ignoreUrls: [/analytics/, '/health'] });
    expect(notices).toEqual([expect.stringMatching(/track\.ignoreUrls .* track\.http\.ignoreUrls/)]);
    const on = upgradeLegacyOptions({ appId: 'a', track: { http: true, ignoreUrls: ['/ping'] } as never });
    expect(resolveOptions(on.options).track.http).toMatchObject({ ignoreUrls: ['/ping'] });
  });

  it('leaves HTTP tracking off when it was (nothing to skip), and other options alone', () => {
    const off = upgradeLegacyOptions({ appId: 'a', track: { ignoreUrls: ['/health'] } as never });
    expect(resolveOptions(off.options).track.http).toBe(false);
    const plain = { appId: 'a', track: { http: true } };
    expect(upgradeLegacyOptions(plain)).toEqual({ options: plain, notices: [] });
  });

  it('lets trackerPlugin take such a config instead of failing the dev server or the build, with a warning', () => {
    const plugin = trackerPlugin({ appId: 'a', track: { ignoreUrls: ['/health'] } as never });
    const warnings: string[] = [];
    const logger = { info() {}, warn: (message: string) => warnings.push(message), error() {} };
    const configResolved = plugin.configResolved as (config: unknown) => void;
    configResolved({ logger, command: 'serve', root: process.cwd(), build: {} });
    expect(warnings).toEqual([
      '[skopos/vite] track.ignoreUrls (vite-plugin-monitor 1.0–1.2) is read as track.http.ignoreUrls: move it there.',
    ]);
    // Any other unknown key is still refused, with its path.
    expect(() => trackerPlugin({ appId: 'a', track: { ignoreUrl: ['/x'] } as never })).toThrow(
      /track\.ignoreUrl: unknown option/,
    );
  });
});
