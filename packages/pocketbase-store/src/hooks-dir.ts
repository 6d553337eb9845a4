type FileUrlToPath = (url: URL) => string;

/**
 * `node:url`'s `fileURLToPath`, asked of the runtime when called rather than imported: the package's
 * entry must load where there is no `node:url` (a Cloudflare Worker without `nodejs_compat`), and
 * only this Node-side helper needs it. Node before 20.16 lacks `getBuiltinModule`: there the file
 * URL is decoded by hand (a Windows drive path loses its leading slash).
 */
function fileUrlToPath(url: URL): string {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const native = (runtime?.getBuiltinModule?.('node:url') as { fileURLToPath?: FileUrlToPath } | undefined)
    ?.fileURLToPath;
  if (native !== undefined) return native(url);
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1).replaceAll('/', '\\') : path;
}

/**
 * The directory holding `skopos.pb.js`, the PocketBase hook of the fast write path. Pass it to
 * `pocketbase serve --hooksDir=…` (or `startPocketBase({ hooksDir })`), or copy the file into your
 * own `pb_hooks/`.
 *
 * @example
 * import { skoposHooksDir } from '@skopos/pocketbase-store';
 * import { startPocketBase } from '@skopos/pocketbase-runtime';
 *
 * const pb = await startPocketBase({ superuser, hooksDir: skoposHooksDir() });
 */
export function skoposHooksDir(): string {
  // `src/` and `dist/` both sit next to `pb_hooks/` in the package.
  return fileUrlToPath(new URL('../pb_hooks', import.meta.url));
}
