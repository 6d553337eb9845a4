// Size of the browser tracker's script-tag builds: minified (rolldown/oxc, as `pnpm build` writes
// them to packages/browser/dist) and gzipped at level 9. The core has a 1536-byte budget (SPEC:
// ≤ 1.5 KB), which packages/browser/src/size.test.ts enforces; the add-ons load separately.
// Prints figures; asserts nothing. Build first: `pnpm build`.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../packages/browser/dist/', import.meta.url);
const builds = [
  ['core', 'skopos.global.js'],
  ['outbound', 'outbound.global.js'],
  ['web-vitals', 'web-vitals.global.js'],
  ['clicks', 'clicks.global.js'],
  ['network', 'network.global.js'],
  ['console', 'console.global.js'],
];
for (const [name, file] of builds) {
  const path = new URL(file, dist);
  if (!existsSync(path)) {
    console.error(`missing ${file}: run \`pnpm build\` first`);
    process.exit(1);
  }
  const code = readFileSync(path);
  console.log(`browser ${name} IIFE gzip bytes: ${gzipSync(code, { level: 9 }).byteLength}`);
  console.log(`browser ${name} IIFE minified bytes: ${code.byteLength}`);
}
