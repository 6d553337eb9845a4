import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('.', import.meta.url);
const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('@skopos/transport-http/client stays browser-safe', () => {
  it.each(sources)('%s imports no node: module and only the lite entry of core', (name) => {
    const text = readFileSync(new URL(name, dir), 'utf8');
    // Line-anchored so that `from '…'` inside a JSDoc @example is not taken for an import.
    const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*? from '([^']+)'/gm)].map(
      (match) => match[1] ?? '',
    );
    for (const specifier of specifiers) {
      expect(specifier.startsWith('./') || specifier === '@skopos/core/lite', `${name}: ${specifier}`).toBe(
        true,
      );
    }
  });
});
