import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The browser README promises byte counts; they are the built scripts' sizes, measured as
// packages/browser/src/size.test.ts and bench/size.mjs measure them (gzip level 9 by Node's zlib),
// so that a change of the tracker cannot leave a stale figure behind.

const browser = new URL('../../browser/', import.meta.url);
const readme = readFileSync(new URL('README.md', browser), 'utf8');

function gzippedBytes(script: string): number {
  const file = new URL(`dist/${script}`, browser);
  if (!existsSync(file))
    throw new Error(`packages/browser/dist/${script} is missing: run \`pnpm build\` first`);
  return gzipSync(readFileSync(file), { level: 9 }).byteLength;
}

describe('the browser README states the real gzipped sizes', () => {
  it('of the core script tag build', () => {
    expect(readme).toContain(`(${gzippedBytes('skopos.global.js')} bytes\ntoday at gzip level 9`);
  });

  it('of the WebSocket script tag build', () => {
    expect(readme).toContain(`\`skopos.global.js\` (${gzippedBytes('skopos-ws.global.js')} bytes gzipped`);
  });

  it.each(['outbound', 'web-vitals', 'clicks', 'network', 'console'])('of the %s module', (module) => {
    expect(readme).toContain(`\`dist/${module}.global.js\` | ${gzippedBytes(`${module}.global.js`)} B |`);
  });
});
