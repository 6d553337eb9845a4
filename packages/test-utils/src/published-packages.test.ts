import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the npm registry shows for each public package: its package.json links and its README. The
// registry rewrites relative links against `repository.directory` only, so a README link that leaves
// its package folder would 404 there; such links are absolute URLs to the repository instead.

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Manifest {
  name: string;
  private?: boolean;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: string | { url?: string };
  dependencies?: Record<string, string>;
}

const publicPackages = readdirSync(new URL('packages/', root))
  .filter((dir) => existsSync(new URL(`packages/${dir}/package.json`, root)))
  .map((dir) => ({ dir, manifest: JSON.parse(read(`packages/${dir}/package.json`)) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true);

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
const webUrl = (repositoryUrl = ''): string => repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '');

const repositoryUrls = new Set(publicPackages.map(({ manifest }) => manifest.repository?.url));
const [repositoryUrl] = repositoryUrls;
const repositoryWeb = webUrl(repositoryUrl);

/** The published READMEs, each with the folder its relative links must stay in ('' = the repository). */
const readmes: [path: string, folder: string][] = [
  ['README.md', ''],
  ...publicPackages
    .filter(({ dir }) => existsSync(new URL(`packages/${dir}/README.md`, root)))
    .map(({ dir }): [string, string] => [`packages/${dir}/README.md`, `packages/${dir}`]),
];

/** Link targets outside code blocks: `[text](target)`, `[label]: target`, `href="…"` and `src="…"`. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '``');
  return [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? ''),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((match) => match[1] ?? ''),
    ...[...prose.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((match) => match[1] ?? ''),
  ];
}

describe('public packages say where they come from', () => {
  it('all name one repository', () => {
    expect([...repositoryUrls]).toHaveLength(1);
    expect(repositoryUrl).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  });

  it.each(publicPackages.map(({ dir, manifest }) => [dir, manifest] as const))(
    'packages/%s has repository, homepage and bugs',
    (dir, manifest) => {
      expect(manifest.repository, `${manifest.name}: repository`).toEqual({
        type: 'git',
        url: repositoryUrl,
        directory: `packages/${dir}`,
      });
      expect(manifest.homepage, `${manifest.name}: homepage`).toBe(
        `${repositoryWeb}/tree/main/packages/${dir}`,
      );
      const bugs = typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url;
      expect(bugs, `${manifest.name}: bugs`).toBe(`${repositoryWeb}/issues`);
    },
  );
});

describe('public packages install everywhere', () => {
  // npm refuses to install (EBADPLATFORM) a package one of whose required dependencies declares
  // `os` or `cpu` for other machines: such a dependency must be optional, its absence handled.
  it.each(publicPackages.map(({ dir, manifest }) => [dir, manifest] as const))(
    'packages/%s requires no platform-specific dependency',
    (dir, manifest) => {
      const restricted = Object.keys(manifest.dependencies ?? {}).filter((name) => {
        if (name.startsWith('@skopos/')) return false;
        // As installed for this package (pnpm links each dependency there).
        const dependency = JSON.parse(read(`packages/${dir}/node_modules/${name}/package.json`)) as {
          os?: string[];
          cpu?: string[];
        };
        return dependency.os !== undefined || dependency.cpu !== undefined;
      });
      expect(restricted, 'move them to optionalDependencies').toEqual([]);
    },
  );
});

describe('published READMEs work on the npm page', () => {
  it.each(readmes)('%s speaks no internal vocabulary', (path) => {
    const lines = read(path)
      .split('\n')
      .flatMap((line, index) => (/\bseeds?\b/i.test(line) ? [`${path}:${index + 1}: ${line}`] : []));
    expect(lines, 'say "the original Skopos SDK (`@alphasystem/skopos`)" or "vite-plugin-monitor"').toEqual(
      [],
    );
  });

  // Changesets become the packages' changelogs, and the examples are what users copy.
  const userFacing = [
    ...readdirSync(new URL('.changeset/', root))
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => `.changeset/${name}`),
    ...readdirSync(new URL('examples/', root)).flatMap((dir) =>
      ['index.mjs', 'package.json', 'README.md']
        .map((name) => `examples/${dir}/${name}`)
        .filter((path) => existsSync(new URL(path, root))),
    ),
  ];
  it.each(userFacing)('%s names the original projects, not the seeds', (path) => {
    const lines = read(path)
      .split('\n')
      .flatMap((line, index) => (/\bseeds? ?0\d\d\b/i.test(line) ? [`${path}:${index + 1}: ${line}`] : []));
    expect(lines, 'say "the original Skopos SDK" or "vite-plugin-monitor"').toEqual([]);
  });

  it.each(readmes)('%s links only to its own folder or to existing repository files', (path, folder) => {
    const broken: string[] = [];
    for (const target of linkTargets(read(path))) {
      const [file = ''] = target.split('#');
      let resolved: string;
      if (target.startsWith(`${repositoryWeb}/`)) {
        const match = /^\/(?:blob|tree)\/main\/([^?#]*)$/.exec(file.slice(repositoryWeb.length));
        if (match === null) continue; // issues, releases and the like
        resolved = posix.normalize(match[1] ?? '');
      } else if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(target)) {
        continue;
      } else {
        resolved = posix.normalize(posix.join(folder || '.', file));
        if (folder !== '' && resolved !== folder && !resolved.startsWith(`${folder}/`)) {
          broken.push(`${target}: leaves ${folder}/, use ${repositoryWeb}/blob/main/${resolved}`);
          continue;
        }
      }
      if (resolved.startsWith('../') || !existsSync(new URL(resolved, root))) {
        broken.push(`${target}: ${resolved} does not exist`);
      }
    }
    expect(broken).toEqual([]);
  });
});
