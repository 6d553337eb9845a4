import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('./', import.meta.url);
/** What ships: every source file but tests and their helpers. */
const sources = ['', 'modules/']
  .flatMap((dir) => readdirSync(new URL(dir, root)).map((name) => `${dir}${name}`))
  .filter((name) => name.endsWith('.ts') && !/\.test\.ts$|test-support|e2e-/.test(name));

describe('@skopos/browser stays browser-only', () => {
  it.each(sources)('%s imports no node: module and nothing of core at run time', (name) => {
    const text = readFileSync(new URL(name, root), 'utf8');
    // Line-anchored so that `from '…'` inside a JSDoc @example is not taken for an import.
    for (const match of text.matchAll(/^(import|export)( type)?\b[^;]*? from '([^']+)'/gm)) {
      const [, , typeOnly, specifier = ''] = match;
      expect(
        specifier.startsWith('.') || (typeOnly !== undefined && specifier === '@skopos/core/lite'),
        `${name}: ${specifier}`,
      ).toBe(true);
    }
  });
});
