import { builtinModules } from 'node:module';

/** One `npm i …` / `pnpm add …` / `yarn add …` command of a shell block. */
export interface InstallLine {
  /** 1-based line in the README. */
  line: number;
  text: string;
  packages: string[];
  /** `-g`: puts a CLI on the PATH, but makes nothing importable from the reader's project. */
  global: boolean;
}

const INSTALL =
  /(?:^|[\s;&|(])(?:npm\s+(?:i|install|add)|pnpm\s+(?:add|i|install)|yarn\s+(?:global\s+)?add)\b(.*)$/;

/** The install commands of a shell block that starts at README line `blockLine` (its fence). */
export function installLines(code: string, blockLine: number): InstallLine[] {
  return code.split('\n').flatMap((text, index) => {
    // A comment, `&&` or `;` ends the command; what follows is another one.
    const match = INSTALL.exec(text.replace(/(?:^|\s)#.*$/, ''));
    if (!match) return [];
    const args =
      (match[1] ?? '')
        .split(/&&|;|\|/)[0]
        ?.trim()
        .split(/\s+/) ?? [];
    const global = args.some((arg) => arg === '-g' || arg === '--global') || /yarn\s+global/.test(text);
    const packages = args.filter((arg) => arg !== '' && !arg.startsWith('-')).map(withoutVersion);
    return [{ line: blockLine + 1 + index, text: text.trim(), packages, global }];
  });
}

/** `@scope/name@^1` → `@scope/name`, `ws@8` → `ws`. */
function withoutVersion(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

const BUILTINS = new Set(builtinModules);

/** A runtime's own module (`node:http`, `bun:sqlite`, `cloudflare:workers`): a scheme, never an npm name. */
const RUNTIME_MODULE = /^[a-z]+:/;

/**
 * The npm package an import specifier needs, or undefined for a runtime's own modules and relative
 * paths: `@skopos/transport-http/node` → `@skopos/transport-http`, `node:http` → undefined.
 */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || RUNTIME_MODULE.test(specifier))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return BUILTINS.has(name) ? undefined : name;
}
