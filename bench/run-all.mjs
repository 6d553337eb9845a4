// Runs every benchmark in its own process (so one's heap never skews another's) and prints
// their figures. Build first: `pnpm build`.
import { execFileSync } from 'node:child_process';

const scripts = [
  ['core-pipeline.mjs', ['--expose-gc']],
  ['dashboard-stats.mjs', ['--expose-gc']],
  ['geoip.mjs', ['--expose-gc']],
  ['ingest.mjs', []],
  ['memory-store.mjs', ['--expose-gc']],
  ['pocketbase.mjs', []],
  ['scale-out.mjs', []],
  ['sdk-express.mjs', []],
  ['size.mjs', []],
  ['window-read.mjs', ['--expose-gc']],
];
const here = new URL('.', import.meta.url).pathname;
for (const [script, flags] of scripts) {
  console.log(`# ${script}`);
  process.stdout.write(execFileSync(process.execPath, [...flags, script], { cwd: here, encoding: 'utf8' }));
}
