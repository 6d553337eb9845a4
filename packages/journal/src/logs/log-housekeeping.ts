import { createReadStream, createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { listLogFiles } from './log-names.ts';
import { DEFAULT_MAX_FILES, type LogTransport } from './log-options.ts';

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * `<path>.gz`, then the original goes. Written under a temporary name first: a stop half-way leaves
 * the original whole and no `.gz` a replay would take for a complete file. zlib runs on libuv's
 * thread pool and the streams are read in chunks, so ingest keeps the event loop meanwhile.
 */
export async function gzipFile(path: string): Promise<void> {
  const temporary = `${path}.gz.tmp`;
  try {
    await pipeline(createReadStream(path), createGzip(), createWriteStream(temporary));
    await rename(temporary, `${path}.gz`);
  } catch (error) {
    await removeFile(temporary).catch(() => undefined);
    throw error;
  }
  await removeFile(path);
}

/**
 * After a rotation (and at start, for what a stop interrupted): delete the oldest set-aside files
 * past `maxFiles`, then gzip the rest when asked. The file being written is never touched.
 */
export async function tidyLogFiles(
  transport: LogTransport,
  current: string,
  report: (error: unknown) => void,
): Promise<void> {
  const rotation = transport.rotation;
  if (rotation === undefined) return;
  // vite-plugin-monitor's own files are its history, which its housekeeping never deletes in daily
  // mode: Skopos reads them back and leaves them as they are.
  const files = (await listLogFiles(transport)).filter((file) => file.path !== current && !file.peer);
  const excess = Math.max(0, files.length - (rotation.maxFiles ?? DEFAULT_MAX_FILES));
  for (const file of files.slice(0, excess)) {
    await removeFile(file.path).catch(report);
    // Left over when a stop came between compressing and deleting the original.
    if (!file.gzip) await removeFile(`${file.path}.gz`).catch(report);
  }
  if (!rotation.compress) return;
  for (const file of files.slice(excess)) {
    if (!file.gzip) await gzipFile(file.path).catch(report);
  }
}
