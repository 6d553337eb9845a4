import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installLines, packageOf } from './install-lines.ts';
import { extractBlocks } from './readme-blocks.ts';
import { checkReadmes } from './readme-check.ts';

// The README checker itself, fed broken READMEs: each defect must be reported with its line.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A README whose blocks are one type error, two missing installs and one fragment. */
const BROKEN = [
  '# @skopos/example', // 1
  '',
  '```sh',
  'npm i @skopos/core ws # the packages', // 4
  '```',
  '',
  '```ts', // 7
  "import { createSkopos } from '@skopos/core';",
  "import { memoryStore } from '@skopos/memory-store';",
  '',
  "const store = memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });",
  'const skopos = createSkopos({ store, batchIntervall: 5000 });', // 12: a typo in an option name
  'await skopos.shutdown();',
  '```',
  '',
  '```js', // 16
  "import { WebSocket } from 'ws';",
  '',
  "const socket = new WebSocket('ws://127.0.0.1:4242/_tracker/ws');",
  'socket.close();',
  '```',
  '',
  "<!-- snippet: fragment, a route of the reader's app -->",
  '',
  '```ts', // 25
  "app.get('/', (req, res) => res.end());",
  '```',
  '',
  '```ts', // 29
  '// demo.mjs — node demo.mjs',
  "console.log('hi');",
  '```',
].join('\n');

const check = (text: string, needsInstallLines = true) =>
  checkReadmes([{ path: 'packages/example/README.md', text, needsInstallLines }], root);

describe('checkReadmes', () => {
  const report = check(BROKEN);

  it('reports a type error at its README line, with the diagnostic and the block', () => {
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^packages\/example\/README\.md:12: TS2561: .*'batchIntervall'.* \(in the ts block at line 7\)$/,
      ),
    );
  });

  it('reports imports that no install line of the README names, @types packages included', () => {
    expect(report.problems).toContain(
      'packages/example/README.md:7: the block imports @skopos/memory-store, but its install lines (line 4) leave it out',
    );
    expect(report.problems).toContain(
      'packages/example/README.md:16: the block imports @types/ws, but its install lines (line 4) leave it out',
    );
  });

  it('reports a block tagged ts that names a JavaScript file', () => {
    expect(report.problems).toContain(
      'packages/example/README.md:29: the block is tagged ts but is the file demo.mjs: tag it js',
    );
  });

  it('counts a marked fragment and checks only its syntax', () => {
    expect(report.fragments.map((block) => [block.line, block.marker?.reason])).toEqual([
      [25, "a route of the reader's app"],
    ]);
    expect(report.typechecked.map((block) => block.line)).toEqual([7, 16, 29]);
    expect(report.problems.filter((problem) => problem.includes(':26:'))).toEqual([]);
    expect(report.problems).toHaveLength(4);
  });

  it('reports a fragment marker without a reason, and a fragment that does not parse', () => {
    const text = [
      '<!-- snippet: fragment -->',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '<!-- snippet: fragment, why -->',
      '```js',
      'storage: { a: 1, b: 2 }',
      '```',
    ].join('\n');
    const { problems, fragments } = check(text, false);
    expect(fragments).toHaveLength(1);
    expect(problems).toContainEqual(
      expect.stringMatching(/^packages\/example\/README\.md:2: unknown snippet marker/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^packages\/example\/README\.md:8: TS1005: /));
  });

  it('asks a README without any install line for one, unless it is a private workspace folder', () => {
    const text = [
      '```js',
      "import { memoryStore } from '@skopos/memory-store';",
      'memoryStore();',
      '```',
    ].join('\n');
    expect(check(text).problems).toEqual([
      'packages/example/README.md:1: the block imports @skopos/memory-store, but this README has no (non-global) install line',
    ]);
    expect(check(text, false).problems).toEqual([]);
  });
});

describe('extractBlocks', () => {
  it('finds fenced blocks with language, fence line and a marker, inside list items too', () => {
    const text = [
      'intro',
      '- step:',
      '  ```Bash',
      '  npm i x',
      '  ```',
      '',
      '<!-- snippet: fragment, why -->',
      '~~~ts',
      'a;',
      '~~~',
      '```',
      'plain',
      '```',
    ].join('\n');
    expect(extractBlocks('R.md', text)).toEqual([
      { readme: 'R.md', lang: 'bash', line: 3, code: 'npm i x' },
      { readme: 'R.md', lang: 'ts', line: 8, code: 'a;', marker: { kind: 'fragment', reason: 'why' } },
      { readme: 'R.md', lang: '', line: 11, code: 'plain' },
    ]);
  });
});

describe('installLines', () => {
  it('reads the packages of npm, pnpm and yarn commands, without versions, flags or comments', () => {
    const code = [
      'npm i -D @types/ws ws@^8 # the types',
      'pnpm add @skopos/core@workspace:* && node x.mjs',
      'npm i -g @skopos/server',
      'npx --yes pnpm@10.34.8 install',
      '# npm i commented-out',
    ].join('\n');
    expect(installLines(code, 10).map(({ line, packages, global }) => ({ line, packages, global }))).toEqual([
      { line: 11, packages: ['@types/ws', 'ws'], global: false },
      { line: 12, packages: ['@skopos/core'], global: false },
      { line: 13, packages: ['@skopos/server'], global: true },
    ]);
  });

  it("maps import specifiers to packages, skipping builtins, runtimes' own modules and paths", () => {
    expect(
      [
        '@skopos/transport-http/node',
        'ws',
        'node:http',
        'fs',
        './my-store.ts',
        'hono/cors',
        'cloudflare:workers',
        'bun:sqlite',
      ].map(packageOf),
    ).toEqual([
      '@skopos/transport-http',
      'ws',
      undefined,
      undefined,
      undefined,
      'hono',
      undefined,
      undefined,
    ]);
  });
});
