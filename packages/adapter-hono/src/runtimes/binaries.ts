import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the npm packages `bun`, `deno` and `workerd` (dev dependencies of this package) keep their
 * executables. Their install scripts are not run (pnpm runs only the listed ones), so each is found
 * in its platform package, which all three ship as optional dependencies: Linux x64 here, the
 * machine the tests run on.
 */
const PLATFORM_BINARIES = {
  bun: { wrapper: 'bun', platform: '@oven/bun-linux-x64', file: 'bin/bun' },
  deno: { wrapper: 'deno', platform: '@deno/linux-x64-glibc', file: 'deno' },
  workerd: { wrapper: 'workerd', platform: '@cloudflare/workerd-linux-64', file: 'bin/workerd' },
} as const;

export type Runtime = keyof typeof PLATFORM_BINARIES;

/** The executable of `runtime`, or a clear error saying which package is missing. */
export function runtimeBinary(runtime: Runtime): string {
  const { wrapper, platform, file } = PLATFORM_BINARIES[runtime];
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the ${runtime} tests use ${platform}: Linux x64 only (this is ${process.platform}-${process.arch})`,
    );
  }
  const fromHere = createRequire(import.meta.url);
  const wrapperDir = dirname(fromHere.resolve(`${wrapper}/package.json`));
  const platformDir = dirname(
    createRequire(join(wrapperDir, 'package.json')).resolve(`${platform}/package.json`),
  );
  const path = join(platformDir, file);
  if (!existsSync(path)) throw new Error(`${platform} holds no ${file}: reinstall the dependencies`);
  return path;
}
