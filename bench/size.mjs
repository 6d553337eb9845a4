// Size of the browser tracker's script-tag builds: minified (rolldown/oxc, as `pnpm build` writes
// them to packages/browser/dist) and gzipped at level 9. The core has a 1536-byte budget (SPEC:
// ≤ 1.5 KB), which packages/browser/src/size.test.ts enforces; the add-ons load separately. The
// WebSocket variant (core + its own sender) replaces the core script; for comparison, the last line
// is @skopos/transport-ws's general client bundled for browsers the same way.
// Prints figures; asserts nothing. Build first: `pnpm build`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = new URL('../packages/browser/dist/', import.meta.url);
const builds = [
  ['core', 'skopos.global.js'],
  ['websocket (core + WS sender)', 'skopos-ws.global.js'],
  ['outbound', 'outbound.global.js'],
  ['web-vitals', 'web-vitals.global.js'],
  ['clicks', 'clicks.global.js'],
  ['network', 'network.global.js'],
  ['console', 'console.global.js'],
  ['monitor client, HTTP', 'skopos-monitor-http.global.js'],
  ['monitor client, WebSocket', 'skopos-monitor-ws.global.js'],
  ['monitor clicks', 'monitor-clicks.global.js'],
  ['monitor http', 'monitor-http.global.js'],
  ['monitor http with capture (add-on build)', 'monitor-http-capture.global.js'],
  ['monitor overlay (dev only)', 'monitor-overlay.global.js'],
  ['monitor errors', 'monitor-errors.global.js'],
  ['monitor navigation', 'monitor-navigation.global.js'],
  ['monitor console', 'monitor-console.global.js'],
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

// What @skopos/vite serves a page with every vite-plugin-monitor tracker on: one file, the trackers
// then the client (budget 6 KB gzipped, packages/browser/src/monitor/size.test.ts).
const monitorTrackers = builds.filter(([name]) =>
  /^monitor (clicks|http|errors|navigation|console)$/.test(name),
);
for (const client of ['skopos-monitor-http.global.js', 'skopos-monitor-ws.global.js']) {
  const page = [...monitorTrackers.map(([, file]) => file), client]
    .map((file) => readFileSync(new URL(file, dist), 'utf8'))
    .join('\n;');
  console.log(
    `vite-plugin-monitor page (${client}, 5 trackers) gzip bytes: ${gzipSync(page, { level: 9 }).byteLength}`,
  );
}

// The dashboard app (@skopos/dashboard): its JS and CSS as the browser loads them (budget: JS ≤ 60 KB gzipped).
const dashboardAssets = new URL('../packages/dashboard/dist/app/assets/', import.meta.url);
if (existsSync(dashboardAssets)) {
  for (const kind of ['js', 'css']) {
    const files = readdirSync(dashboardAssets).filter((file) => file.endsWith(`.${kind}`));
    const code = files.map((file) => readFileSync(new URL(file, dashboardAssets), 'utf8')).join('\n');
    console.log(`dashboard app ${kind} gzip bytes: ${gzipSync(code, { level: 9 }).byteLength}`);
  }
} else console.error('missing packages/dashboard/dist/app: run `pnpm build` first');

// rolldown is the browser package's build tool; the bench workspace does not depend on it.
const fromBrowser = createRequire(new URL('../packages/browser/package.json', import.meta.url));
const { rolldown } = await import(pathToFileURL(fromBrowser.resolve('rolldown')).href);
const client = new URL('../packages/transport-ws/dist/index.mjs', import.meta.url);
if (!existsSync(client)) {
  console.error('missing packages/transport-ws/dist/index.mjs: run `pnpm build` first');
  process.exit(1);
}
const bundle = await rolldown({ input: client.pathname, platform: 'browser', logLevel: 'silent' });
const { output } = await bundle.generate({ format: 'iife', name: 'skoposWs', minify: true });
await bundle.close();
console.log(
  `transport-ws client (browser bundle) gzip bytes: ${gzipSync(output[0].code, { level: 9 }).byteLength}`,
);
