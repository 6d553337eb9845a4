#!/usr/bin/env node
// Checks the published shape of every public package: publint (exports map, files) and
// are-the-types-wrong (types resolve for import and require under node10/node16/bundler).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const path = join(root, 'packages', dir);
  if (!existsSync(join(path, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  for (const [tool, args] of [
    ['publint', ['--strict', path]],
    // node16 profile: subpath exports (`/testing`, `/node`) cannot resolve under the legacy node10
    // resolution, which predates `exports`; the root entries still carry `types` for it.
    ['attw', ['--pack', path, '--format', 'table-flipped', '--profile', 'node16']],
  ]) {
    try {
      execFileSync(bin(tool), args, { stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${tool} ${pkg.name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${tool} ${pkg.name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
if (failed > 0) {
  console.log(`${failed} package check(s) failed`);
  process.exit(1);
}
