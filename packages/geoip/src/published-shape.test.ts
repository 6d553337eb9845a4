import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The built package (dist/) as users load it, by name from a separate Node process: a visit from a
// public address through createSkopos ends up under its country, and geoip-lite is in the module
// cache only after the first lookup of a public address.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const body = (load: string) => `
${load}
const loaded = () => Object.keys(require.cache).some((path) => path.includes('geoip-lite'));
const report = { atImport: loaded() };
const store = memoryStore({ websites: [{ trackingId: 'my-site', domain: 'example.com' }] });
const skopos = createSkopos({ store, geo: chainGeo(cdnHeaderGeo(), geoipLookup()) });
const visit = (ip) =>
  skopos.track({
    siteId: 'my-site',
    payload: { type: 'pageView', url: 'https://example.com/' },
    request: {
      headers: {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        'accept-language': 'en',
        accept: '*/*',
        'accept-encoding': 'gzip, br',
        'sec-fetch-mode': 'cors',
      },
      remoteAddress: ip,
    },
  });
await visit('127.0.0.1');
report.afterLoopback = loaded();
await visit('81.2.69.142');
await visit('2001:67c:2e8:22::c100:68b');
report.afterPublic = loaded();
await skopos.flush();
const site = store.getWebsite('my-site');
report.countries = store.stats({ website: site.id, since: 0, until: Date.now() + 1 }).countries;
await skopos.shutdown();
console.log('RESULT ' + JSON.stringify(report));
`;

const ESM = body(`
import { createRequire } from 'node:module';
import { cdnHeaderGeo, chainGeo, createSkopos } from '@skopos/core';
import { geoipLookup } from '@skopos/geoip';
import { memoryStore } from '@skopos/memory-store';
const require = createRequire(import.meta.url);
`);

const CJS = `(async () => {${body(`
const { cdnHeaderGeo, chainGeo, createSkopos } = require('@skopos/core');
const { geoipLookup } = require('@skopos/geoip');
const { memoryStore } = require('@skopos/memory-store');
`)}})();`;

function resultOf(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return JSON.parse(line?.slice('RESULT '.length) ?? 'null');
}

const expected = {
  atImport: false,
  afterLoopback: false,
  afterPublic: true,
  countries: [
    { key: 'GB', count: 1 },
    { key: 'NL', count: 1 },
  ],
};

describe('@skopos/geoip as published', () => {
  it('import: countries from geoip-lite, loaded only at the first public address', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', ESM], { cwd: PACKAGE_DIR });
    expect(resultOf(stdout)).toEqual(expected);
  });

  it('require(): the same through the CommonJS build', async () => {
    const { stdout } = await run(process.execPath, ['-e', CJS], { cwd: PACKAGE_DIR });
    expect(resultOf(stdout)).toEqual(expected);
  });
});
