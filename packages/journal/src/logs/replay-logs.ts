import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  type EventRecord,
  type MaybePromise,
  recordFromMonitorEvent,
  type WebsiteConfig,
} from '@skopos/core';
import { type LogFileName, listLogFiles } from './log-names.ts';
import type { LogTransport } from './log-options.ts';
import { eventFromLogLine } from './logged-event.ts';

export interface ReplayOptions {
  /** Events answered at most, the newest kept: the memory store's `maxBufferSize` (default 500000). */
  maxEvents?: number;
  /** Told about files that could not be read to the end (default: `console.warn`, prefixed). */
  warn?: (message: string) => void;
  /**
   * The site of an `appId`, for lines vite-plugin-monitor's own server wrote (its events without
   * Skopos' fields): with it they are read back as the events Skopos would have stored
   * (`recordFromMonitorEvent`), so a project that switched keeps the history it logged before;
   * without it they count as bad lines. Typically the store's `getWebsite`.
   */
  siteOf?: (appId: string) => MaybePromise<WebsiteConfig | null | undefined>;
}

/** What `replayLogs` found. */
export interface LogReplay {
  /** Oldest first, as they were stored. */
  events: EventRecord[];
  /** Files read (older ones are not opened once `maxEvents` are found). */
  files: number;
  /** Lines that were not an event: damage, or a last line a crash cut short. */
  badLines: number;
  /** Lines vite-plugin-monitor's server wrote that were read as events (see `siteOf`; `older` may hold some). */
  monitorLines: number;
  /** Events in the files read that were older than the `maxEvents` kept. */
  older: number;
  /** Files that could not be read to the end (their events read until then are kept). */
  unreadable: number;
}

async function* linesOf(file: LogFileName): AsyncGenerator<string> {
  const raw = createReadStream(file.path);
  // pipeline passes a read error on to the gunzip stream, so the loop below sees it.
  const stream: Readable = file.gzip ? pipeline(raw, createGunzip(), () => undefined) : raw;
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  // No newline after it: the write was cut short, unless the line happens to be whole.
  if (rest !== '') yield rest;
}

type Sites = (appId: string) => Promise<WebsiteConfig | undefined>;

/** `siteOf`, asked once per app id. */
function siteCache(siteOf: ReplayOptions['siteOf']): Sites | undefined {
  if (siteOf === undefined) return undefined;
  const known = new Map<string, Promise<WebsiteConfig | undefined>>();
  return (appId) => {
    let site = known.get(appId);
    if (site === undefined) {
      site = Promise.resolve()
        .then(() => siteOf(appId))
        .then(
          (found) => found ?? undefined,
          () => undefined,
        );
      known.set(appId, site);
    }
    return site;
  };
}

/** A line as the event stored, and whether vite-plugin-monitor's server wrote it. */
async function parse(line: string, sites: Sites | undefined): Promise<[EventRecord, boolean] | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const own = eventFromLogLine(value);
  if (own !== undefined) return [own, false];
  const appId = (value as { appId?: unknown } | null)?.appId;
  if (sites === undefined || typeof appId !== 'string' || appId === '') return undefined;
  const site = await sites(appId);
  const event = site && recordFromMonitorEvent(value, site);
  return event ? [event, true] : undefined;
}

/**
 * The newest events of the `json` log files (rotated and gzipped ones included), oldest first: what
 * fills the memory store again at start, as vite-plugin-monitor fills its buffer from its logs. The
 * first `json` transport is read (every transport gets the same events); `pretty` files cannot be.
 * Files are read newest first, so older ones are not even opened once `maxEvents` are found.
 *
 * @example
 * import { emptyBatch } from '@skopos/core';
 * import { logTransports, replayLogs } from '@skopos/journal';
 *
 * const replay = await replayLogs(logTransports({ dir: './logs' }), { maxEvents: 500_000 });
 * memory.write({ ...emptyBatch(), events: replay.events }); // before the pipeline starts
 */
export async function replayLogs(
  transports: readonly LogTransport[],
  options: ReplayOptions = {},
): Promise<LogReplay> {
  const replay: LogReplay = { events: [], files: 0, badLines: 0, monitorLines: 0, older: 0, unreadable: 0 };
  const transport = transports.find((candidate) => candidate.format === 'json');
  if (transport === undefined) return replay;
  const warn = options.warn ?? ((message: string) => console.warn(`[skopos/journal] ${message}`));
  const sites = siteCache(options.siteOf);
  const newestFirst = (await listLogFiles(transport)).reverse();
  const chunks: EventRecord[][] = [];
  let room = options.maxEvents ?? 500_000;
  for (const file of newestFirst) {
    if (room <= 0) break;
    replay.files += 1;
    let found: EventRecord[] = [];
    try {
      for await (const line of linesOf(file)) {
        if (line.trim() === '') continue;
        const parsed = await parse(line, sites);
        if (parsed === undefined) replay.badLines += 1;
        else {
          found.push(parsed[0]);
          if (parsed[1]) replay.monitorLines += 1;
        }
        // Trim now and then, not per line: memory stays within twice the room.
        if (found.length >= room * 2) {
          replay.older += found.length - room;
          found = found.slice(-room);
        }
      }
    } catch (error) {
      replay.unreadable += 1;
      warn(`could not read the log file ${file.path} to its end: ${String(error)}`);
    }
    const kept = found.length > room ? found.slice(-room) : found;
    replay.older += found.length - kept.length;
    chunks.unshift(kept);
    room -= kept.length;
  }
  replay.events = chunks.flat();
  return replay;
}
