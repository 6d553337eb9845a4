import type { UserConfig } from 'tsdown';

/**
 * The one build recipe every package uses: ESM + CJS + `.d.mts`/`.d.cts`, so that `import` and
 * `require()` users (seed 000's CommonJS snippet) both get correct types.
 */
export function packageBuild(entry: Record<string, string>, overrides: Partial<UserConfig> = {}): UserConfig {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    fixedExtension: true,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: false,
    ...overrides,
  };
}
