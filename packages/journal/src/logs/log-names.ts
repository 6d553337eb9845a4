import { access, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { LogTransport } from './log-options.ts';

/**
 * File names of one transport `<dir>/<stem><ext>`: the current file of `size` rotation is the path
 * itself; set-aside files and daily files carry a UTC stamp, `<stem>-2026-12-05<ext>` (daily) or
 * `<stem>-2026-12-05_06-17-04-123-0000<ext>` (size), plus `.gz` once compressed. Stamps sort as
 * text in time order, so the names alone order the files, oldest first.
 */
interface NameParts {
  dir: string;
  stem: string;
  ext: string;
}

function partsOf(path: string): NameParts {
  const ext = extname(path);
  return { dir: dirname(path), stem: basename(path, ext), ext };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2026-12-05`, the UTC day of `ms`. */
export function dayStamp(ms: number): string {
  const at = new Date(ms);
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

function instantStamp(ms: number, seq: number): string {
  const at = new Date(ms);
  const time = `${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}-${pad(at.getUTCSeconds())}`;
  return `${dayStamp(ms)}_${time}-${pad(at.getUTCMilliseconds(), 3)}-${pad(seq % 10_000, 4)}`;
}

/** The file events go to now. */
export function currentPath(transport: LogTransport, now: number): string {
  if (transport.rotation?.strategy !== 'daily') return transport.path;
  const { dir, stem, ext } = partsOf(transport.path);
  return join(dir, `${stem}-${dayStamp(now)}${ext}`);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

let rotations = 0;

/** A free name to set the current `size` file aside under (the counter parts two in one millisecond). */
export async function rotatedPath(transport: LogTransport, now: number): Promise<string> {
  const { dir, stem, ext } = partsOf(transport.path);
  for (;;) {
    const path = join(dir, `${stem}-${instantStamp(now, rotations++)}${ext}`);
    if (!(await exists(path)) && !(await exists(`${path}.gz`))) return path;
  }
}

/** One log file on disk; `stamp` is '' for the current file of `size` rotation (the newest). */
export interface LogFileName {
  path: string;
  stamp: string;
  gzip: boolean;
  /** Named by vite-plugin-monitor (`2026_12_05`): read back, never deleted nor compressed by Skopos. */
  peer: boolean;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every file of `transport`, oldest first. When a file and its `.gz` both exist (a stop between
 * compressing and deleting the original), only the original is listed: it is complete.
 */
export async function listLogFiles(transport: LogTransport): Promise<LogFileName[]> {
  const { dir, stem, ext } = partsOf(transport.path);
  const daily = transport.rotation?.strategy === 'daily';
  // Skopos' stamps, and vite-plugin-monitor's (`2026_12_05`, `2026_12_05_06_17_04`): its files are
  // read back too, so the history a project logged before switching is not lost.
  const pattern = new RegExp(
    `^${literal(stem)}(?:-(\\d{4}-\\d{2}-\\d{2}(?:_\\d{2}-\\d{2}-\\d{2}-\\d{3}-\\d{4})?|\\d{4}_\\d{2}_\\d{2}(?:_\\d{2}_\\d{2}_\\d{2})?))?${literal(ext)}(\\.gz)?$`,
  );
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const present = new Set(names);
  const files: LogFileName[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const gzip = match[2] !== undefined;
    if (gzip && present.has(name.slice(0, -3))) continue;
    const stamp = match[1] ?? '';
    // Skopos writing daily never writes the stamp-less file: there, that is vite-plugin-monitor's
    // (its size mode's current file).
    const peer = /^\d{4}_/.test(stamp) || (stamp === '' && daily);
    files.push({ path: join(dir, name), stamp, gzip, peer });
  }
  // '' is the current size file: newest of all. Both kinds of stamps compare as digit groups, by
  // day first: on the day of the switch, vite-plugin-monitor's files hold the older events.
  const key = (file: LogFileName): string => {
    // vite-plugin-monitor's stamp-less file has no date: first, so that a replay over its
    // `maxEvents` lets it go before Skopos' newest.
    if (file.stamp === '') return file.peer ? '' : '\uffff';
    const digits = file.stamp.replace(/_/g, '-');
    return `${digits.slice(0, 10)}${file.peer ? '0' : '1'}${digits.slice(10)}`;
  };
  return files.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
