import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One event as vite-plugin-monitor's client sent it (the recorded JSON, untyped on purpose). */
export type MonitorEvent = Record<string, unknown> & { timestamp: string; type: string };

/** A recorded HTTP write of vite-plugin-monitor's client. */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string;
  body: { type: string; events: MonitorEvent[] };
}

export type MonitorVersion = '1.7' | '2.1';

/**
 * The folder of the recorded traffic: `shared/fixtures` beside the repository (the layout of the
 * developers' machines and of CI), found by walking up from this file.
 */
function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'shared', 'fixtures');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('[skopos/test-utils] shared/fixtures not found beside the repository');
}

function read(version: MonitorVersion, file: string): string {
  return readFileSync(join(fixturesDir(), `vite-plugin-monitor-${version}`, file), 'utf8');
}

/**
 * Moves recorded timestamps to end just before `now`, keeping their order and spacing: the
 * recordings are days old, and servers only believe client clocks within a skew (24 h by default).
 */
export function shiftToNow<T extends { timestamp: string }>(events: readonly T[], now = Date.now()): T[] {
  const times = events.map((event) => Date.parse(event.timestamp));
  const last = Math.max(...times);
  return events.map((event, i) => ({
    ...event,
    timestamp: new Date(now - 1000 - (last - (times[i] ?? last))).toISOString(),
  }));
}

/** The HTTP writes vite-plugin-monitor's client made, with timestamps shifted to now (same shift for all). */
export function monitorHttpRequests(version: MonitorVersion, now = Date.now()): RecordedRequest[] {
  const requests = JSON.parse(read(version, 'http-ingest-requests.json')) as RecordedRequest[];
  const shifted = shiftToNow(
    requests.flatMap((request) => request.body.events),
    now,
  );
  let next = 0;
  return requests.map((request) => ({
    ...request,
    body: { ...request.body, events: request.body.events.map(() => shifted[next++] as MonitorEvent) },
  }));
}

/** The WebSocket frames vite-plugin-monitor's client sent, as recorded: one JSON text a frame. */
export function recordedWsFrames(version: MonitorVersion): string[] {
  return read(version, 'ws-client-frames.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The WebSocket frames vite-plugin-monitor's client sent, with event timestamps shifted to now. */
export function monitorWsFrames(
  version: MonitorVersion,
  now = Date.now(),
): Array<{ type: string; events: MonitorEvent[] }> {
  const frames = recordedWsFrames(version).map(
    (line) => JSON.parse(line) as { type: string; events: MonitorEvent[] },
  );
  const shifted = shiftToNow(
    frames.flatMap((frame) => frame.events),
    now,
  );
  let next = 0;
  return frames.map((frame) => ({
    ...frame,
    events: frame.events.map(() => shifted[next++] as MonitorEvent),
  }));
}

/** The fields of vite-plugin-monitor's `TrackerEvent` that a read must give back as they were sent. */
export const MONITOR_FIELDS = [
  'timestamp',
  'level',
  'type',
  'appId',
  'sessionId',
  'userId',
  'groupId',
  'context',
  'payload',
  'meta',
] as const;

/** The monitor fields of an event that the client set (absent ones are left out). */
export function monitorFieldsOf(event: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of MONITOR_FIELDS) if (event[field] !== undefined) fields[field] = event[field];
  return fields;
}

/** Deep JSON with sorted keys: two values compare equal whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** An event reduced to the monitor fields, as canonical JSON: compare sent and read-back events as strings. */
export function monitorView(event: Record<string, unknown>): string {
  return JSON.stringify(canonical(monitorFieldsOf(event)));
}

/** The sorted monitor views of a list of events: equal lists hold the same events, whatever their order. */
export function monitorViews(events: readonly Record<string, unknown>[]): string[] {
  return events.map(monitorView).sort();
}
