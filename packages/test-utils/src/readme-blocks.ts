import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One fenced code block of a README, as a reader sees it. */
export interface CodeBlock {
  /** The README's path relative to the repository root, `/`-separated. */
  readme: string;
  /** The first word of the info string, lower-cased (`ts`, `sh`, …); '' when there is none. */
  lang: string;
  /** 1-based line of the opening fence, so a message can point at the block. */
  line: number;
  code: string;
  /** `<!-- snippet: fragment, why -->` right before the fence (blank lines allowed in between). */
  marker?: { kind: string; reason: string };
}

/** A README to check, with whether it must say how to install what its code imports. */
export interface ReadmeSource {
  path: string;
  text: string;
  /**
   * False for the READMEs of private workspace folders (examples, test support): they run from a
   * clone, where the workspace already provides every package.
   */
  needsInstallLines: boolean;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^\s*<!--\s*snippet:\s*([\w-]+)\s*,?\s*(.*?)\s*-->\s*$/;

/** The fenced code blocks of a Markdown text, in order (CommonMark fences, indented or not). */
export function extractBlocks(readme: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? '';
      const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1] ?? '';
      if (closing[0] === fence[0] && closing.length >= fence.length) break;
      // Content is indented like its fence when the block sits in a list item.
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const block: CodeBlock = { readme, lang: lang.toLowerCase(), line: index + 1, code: body.join('\n') };
    const marker = markerBefore(lines, index);
    if (marker) block.marker = marker;
    blocks.push(block);
    index = end;
  }
  return blocks;
}

function markerBefore(lines: string[], fenceIndex: number): CodeBlock['marker'] {
  let index = fenceIndex - 1;
  while (index >= 0 && (lines[index] ?? '').trim() === '') index--;
  const match = MARKER.exec(lines[index] ?? '');
  return match ? { kind: match[1] ?? '', reason: match[2] ?? '' } : undefined;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', 'artifacts', 'coverage']);

/** Every README.md of the repository (skipping dependencies and build output), root first. */
export function findReadmes(root: string): ReadmeSource[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      else if (entry.isFile() && entry.name === 'README.md') found.push(join(dir, entry.name));
    }
  };
  walk(root);
  return found
    .map((file) => relative(root, file).split('\\').join('/'))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .map((path) => ({
      path,
      text: readFileSync(join(root, path), 'utf8'),
      needsInstallLines: !isPrivateWorkspaceFolder(root, path),
    }));
}

function isPrivateWorkspaceFolder(root: string, readme: string): boolean {
  const dir = readme.includes('/') ? readme.slice(0, readme.lastIndexOf('/')) : '';
  const manifest = join(root, dir, 'package.json');
  // The root package.json is private too, but the root README is what a newcomer reads first.
  if (dir === '' || !existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { private?: boolean }).private === true;
}
