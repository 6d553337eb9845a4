import { gzipSync } from 'node:zlib';
import { rolldown } from 'rolldown';

/** The script-tag builds: file name in `dist/` → entry. */
export const IIFE_ENTRIES = {
  'skopos.global.js': 'src/script.ts',
  'skopos-ws.global.js': 'src/ws.script.ts',
  'outbound.global.js': 'src/modules/outbound.script.ts',
  'web-vitals.global.js': 'src/modules/web-vitals.script.ts',
  'clicks.global.js': 'src/modules/clicks.script.ts',
  'network.global.js': 'src/modules/network.script.ts',
  'console.global.js': 'src/modules/console.script.ts',
  'skopos-monitor.global.js': 'src/monitor/script.ts',
  'skopos-monitor-http.global.js': 'src/monitor/http.script.ts',
  'skopos-monitor-ws.global.js': 'src/monitor/ws.script.ts',
  'monitor-clicks.global.js': 'src/monitor/trackers/clicks.script.ts',
  'monitor-http.global.js': 'src/monitor/trackers/http.script.ts',
  'monitor-http-capture.global.js': 'src/monitor/trackers/http-capture.script.ts',
  'monitor-errors.global.js': 'src/monitor/trackers/errors.script.ts',
  'monitor-navigation.global.js': 'src/monitor/trackers/navigation.script.ts',
  'monitor-console.global.js': 'src/monitor/trackers/console.script.ts',
  'monitor-overlay.global.js': 'src/monitor/overlay/overlay.script.ts',
} as const;

/**
 * Modules swapped out per entry: the WebSocket script always passes its own sender to
 * `createTracker`, so the HTTP sender of the default parameter would be dead weight (~190 bytes).
 */
const STUBS: Record<string, Record<string, string>> = {
  'src/ws.script.ts': { './sender.ts': `${new URL('../src/http-sender.stub.ts', import.meta.url).pathname}` },
  // The monitor script picks its sender from the page config at run time; these builds carry one.
  'src/monitor/http.script.ts': {
    '../ws-sender.ts': `${new URL('../src/monitor/no-ws-sender.stub.ts', import.meta.url).pathname}`,
  },
  // Header and body capture only in the build for pages that ask for it.
  'src/monitor/trackers/http.script.ts': {
    './http-capture.ts': `${new URL('../src/monitor/trackers/no-capture.stub.ts', import.meta.url).pathname}`,
  },
  'src/monitor/ws.script.ts': {
    './http-sender.ts': `${new URL('../src/monitor/no-http-sender.stub.ts', import.meta.url).pathname}`,
  },
};

/** The core script's budget: minified + gzipped bytes (SPEC: ≤ 1.5 KB). */
export const CORE_BUDGET_BYTES = 1536;
/** The WebSocket script's budget (core + WebSocket sender; 1876 bytes when it was written). */
export const WS_BUDGET_BYTES = 2048;

const root = new URL('..', import.meta.url).pathname;

/**
 * Bundles one entry as a minified IIFE for `<script>` tags and answers the code. Rolldown's (oxc)
 * minifier, the same toolchain as tsdown; ES2021 keeps `??=`/`||=` short (every browser with
 * `sendBeacon` and `PerformanceObserver` has it).
 */
export async function bundleIife(entry: string): Promise<string> {
  const bundle = await rolldown({
    cwd: root,
    input: entry,
    platform: 'browser',
    tsconfig: false,
    transform: { target: 'es2021' },
    plugins: [
      {
        name: 'skopos-stubs',
        resolveId: (source) => STUBS[entry]?.[source],
      },
    ],
  });
  const { output } = await bundle.generate({ format: 'iife', minify: true });
  await bundle.close();
  return output[0].code;
}

/** Gzipped size (level 9, as CDNs precompress static files). */
export function gzipBytes(code: string): number {
  return gzipSync(code, { level: 9 }).byteLength;
}
