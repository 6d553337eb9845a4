import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WORLD_PATHS } from './app/world-map-data.ts';
import { dashboardAssetsDir } from './assets-dir.ts';
import { requireBuiltApp } from './test-support.ts';

/** The dashboard's budget: all of its JavaScript, as the browser loads it, gzipped. */
const JS_BUDGET_BYTES = 60 * 1024;

describe('size budget', () => {
  it(`keeps the built app's JavaScript within ${JS_BUDGET_BYTES} gzipped bytes`, () => {
    requireBuiltApp();
    const assets = join(dashboardAssetsDir(), 'assets');
    const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'));
    const code = scripts.map((file) => readFileSync(join(assets, file), 'utf8')).join('\n');
    // The map's shapes are in the bundle (the page requests none): an older build fails here.
    expect(code).toContain(WORLD_PATHS.DE);
    expect(gzipSync(code, { level: 9 }).byteLength).toBeLessThanOrEqual(JS_BUDGET_BYTES);
  });
});
