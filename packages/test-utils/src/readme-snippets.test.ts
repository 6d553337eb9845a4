import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findReadmes } from './readme-blocks.ts';
import type { ReadmeReport } from './readme-check.ts';
import { checkReadmes } from './readme-check.ts';

// Every README of the repository, as a newcomer would follow it: its TypeScript and JavaScript blocks
// compiled together in one program against the built packages (run `pnpm build` first), and its
// install lines holding every package those blocks import. A failure names the README line.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Blocks that may skip the typecheck (`<!-- snippet: fragment, why -->`). Raising it should be a
 * decision: a fragment's option names and imports are no longer checked.
 */
const MAX_FRAGMENTS = 3;

let report: ReadmeReport;
beforeAll(() => {
  report = checkReadmes(findReadmes(root), root);
  const where = (blocks: ReadmeReport['fragments']) => blocks.map((b) => `${b.readme}:${b.line}`).join(', ');
  console.info(
    [
      `README code blocks: ${report.typechecked.length} typechecked`,
      `${report.fragments.length} fragments, syntax only (${report.fragments.map((b) => `${b.readme}:${b.line} "${b.marker?.reason}"`).join('; ')})`,
      `${report.installLines.length} install lines`,
      `${report.unchecked.length} others not checked (${where(report.unchecked)})`,
    ].join('\n  '),
  );
});

describe('README code blocks', () => {
  it('typecheck, and their install lines name every package they import', () => {
    expect(report.problems).toEqual([]);
  });

  it('are checked, all but a few marked fragments', () => {
    expect(report.typechecked.length).toBeGreaterThanOrEqual(30);
    expect(report.installLines.length).toBeGreaterThanOrEqual(10);
    expect(report.fragments.length).toBeLessThanOrEqual(MAX_FRAGMENTS);
  });
});
