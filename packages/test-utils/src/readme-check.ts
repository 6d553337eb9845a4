import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { InstallLine } from './install-lines.ts';
import { installLines, packageOf } from './install-lines.ts';
import type { CodeBlock, ReadmeSource } from './readme-blocks.ts';
import { extractBlocks } from './readme-blocks.ts';
import type { Snippet } from './snippet-program.ts';
import { checkSnippetProgram, syntaxDiagnostics } from './snippet-program.ts';

const CODE_LANGS: Record<string, 'ts' | 'js'> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  cjs: 'js',
};
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);

/** What was checked, so a run that checks nothing shows it. */
export interface ReadmeReport {
  /** Every `ts`/`js` block typechecked in the one program. */
  typechecked: CodeBlock[];
  /** Blocks marked `<!-- snippet: fragment, why -->`: syntax-checked only. */
  fragments: CodeBlock[];
  /** Install commands found in shell blocks. */
  installLines: (InstallLine & { readme: string })[];
  /** Blocks of other languages (html, http, …): shown to readers, not checked here. */
  unchecked: CodeBlock[];
  /** One line per defect: `README:line: what is wrong`. */
  problems: string[];
}

/**
 * Checks that each README's code does what it says: its `ts`/`js` blocks typecheck as a reader would
 * compile them, and its install lines name every package its code imports (with the `@types/*`
 * packages their declarations come from). `root` is the repository, whose workspace packages stand
 * in for what the install lines install.
 */
export function checkReadmes(readmes: ReadmeSource[], root: string): ReadmeReport {
  const report: ReadmeReport = {
    typechecked: [],
    fragments: [],
    installLines: [],
    unchecked: [],
    problems: [],
  };
  const snippets: Snippet[] = [];
  const fragmentFiles: Snippet[] = [];
  for (const readme of readmes) {
    const taken = new Set<string>();
    for (const block of extractBlocks(readme.path, readme.text)) {
      if (SHELL_LANGS.has(block.lang)) {
        report.installLines.push(
          ...installLines(block.code, block.line).map((l) => ({ ...l, readme: block.readme })),
        );
        continue;
      }
      const kind = CODE_LANGS[block.lang];
      if (!kind) {
        report.unchecked.push(block);
        continue;
      }
      const named = snippetFile(block, kind, taken);
      if (named.problem) report.problems.push(`${block.readme}:${block.line}: ${named.problem}`);
      const fileName = join(root, 'packages/test-utils/.readme-snippets', slug(block.readme), named.name);
      if (block.marker?.kind === 'fragment' && block.marker.reason !== '') {
        report.fragments.push(block);
        fragmentFiles.push({ block, fileName });
        continue;
      }
      if (block.marker) {
        report.problems.push(
          `${block.readme}:${block.line}: unknown snippet marker "${block.marker.kind}" or no reason given; ` +
            'write <!-- snippet: fragment, why it cannot stand alone -->',
        );
      }
      report.typechecked.push(block);
      snippets.push({ block, fileName });
    }
  }

  const { diagnostics, typesPackages } = checkSnippetProgram(snippets, workspacePackageDirs(root));
  const syntax = fragmentFiles.flatMap(({ block, fileName }) => syntaxDiagnostics(block, fileName));
  for (const { block, line, message } of [...diagnostics, ...syntax]) {
    report.problems.push(
      `${block.readme}:${line}: ${message} (in the ${block.lang} block at line ${block.line})`,
    );
  }
  for (const readme of readmes.filter((r) => r.needsInstallLines)) {
    const own = [...snippets, ...fragmentFiles].filter(({ block }) => block.readme === readme.path);
    const lines = report.installLines.filter((l) => l.readme === readme.path && !l.global);
    report.problems.push(...installProblems(own, lines, typesPackages));
  }
  return report;
}

/**
 * The README's install lines must cover every package its blocks import, and the `@types/*` package
 * of each import typed by DefinitelyTyped: the reader installs from one README, not from the next.
 */
function installProblems(
  snippets: Snippet[],
  lines: InstallLine[],
  typesPackages: Map<string, Set<string>>,
): string[] {
  const installed = new Set(lines.flatMap((l) => l.packages));
  return snippets.flatMap(({ block, fileName }) => {
    const needed = new Set([...importedPackages(block.code), ...(typesPackages.get(fileName) ?? [])]);
    const missing = [...needed].filter((name) => !installed.has(name));
    if (missing.length === 0) return [];
    const where =
      lines.length === 0
        ? 'this README has no (non-global) install line'
        : `its install lines (${lines.map((l) => `line ${l.line}`).join(', ')}) leave ${missing.length === 1 ? 'it' : 'them'} out`;
    return [`${block.readme}:${block.line}: the block imports ${missing.join(', ')}, but ${where}`];
  });
}

/** The npm packages a snippet imports or requires (bare specifiers; not `node:` builtins or paths). */
export function importedPackages(code: string): string[] {
  const { importedFiles } = ts.preProcessFile(code, true, true);
  return [...new Set(importedFiles.flatMap((file) => packageOf(file.fileName) ?? []))];
}

/**
 * The file a reader would save the block as: the name its first line gives (`// server.mjs — …`),
 * else one derived from its line. A `ts` block naming a `.mjs` file (or the reverse) is a problem: the
 * reader cannot tell which one to write.
 */
function snippetFile(
  block: CodeBlock,
  kind: 'ts' | 'js',
  taken: Set<string>,
): { name: string; problem?: string } {
  const given = /^\s*\/\/\s*([\w.-]+\.[cm]?[jt]sx?)(?=\s|$)/.exec(block.code)?.[1];
  const cjs =
    block.lang === 'cjs' ||
    (kind === 'js' && /\brequire\(/.test(block.code) && !/^\s*import\s/m.test(block.code));
  const name =
    given && !taken.has(given) ? given : `line-${block.line}.${kind === 'ts' ? 'ts' : cjs ? 'cjs' : 'mjs'}`;
  taken.add(name);
  const namedKind = /\.[cm]?tsx?$/.test(name) ? 'ts' : 'js';
  if (namedKind === kind) return { name };
  return { name, problem: `the block is tagged ${block.lang} but is the file ${name}: tag it ${namedKind}` };
}

/** `packages/sdk/README.md` → `packages-sdk`; the root README → `root`. */
const slug = (readme: string): string => readme.replace(/\/?README\.md$/, '').replaceAll('/', '-') || 'root';

/** Every workspace package folder (packages/*, examples/*, bench): their node_modules hold what READMEs import. */
function workspacePackageDirs(root: string): string[] {
  const children = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(root, dir, entry.name, 'package.json')))
          .map((entry) => join(root, dir, entry.name))
      : [];
  return [...children('packages'), ...children('examples'), join(root, 'bench')];
}
