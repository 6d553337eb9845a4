import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IIFE_ENTRIES } from '../scripts/iife.ts';

describe('the package exports', () => {
  it('let a server resolve every script tag build it is told to serve (dist/*.global.js)', () => {
    // Self-reference goes through the `exports` map, as another package's `require.resolve` does.
    const require = createRequire(import.meta.url);
    for (const name of Object.keys(IIFE_ENTRIES)) {
      expect(require.resolve(`@skopos/browser/dist/${name}`)).toBe(
        fileURLToPath(new URL(`../dist/${name}`, import.meta.url)),
      );
    }
  });
});
