import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventLevel, EventRecord } from '@skopos/core';
import { afterEach } from 'vitest';

/** Temporary log directories, removed after each test. */
export function useLogDirs(): { dir(): Promise<string> } {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async dir() {
      const dir = await mkdtemp(join(tmpdir(), 'skopos-logs-'));
      dirs.push(dir);
      return dir;
    },
  };
}

export const DAY_MS = 86_400_000;
/** 2026-12-04T10:00:00Z. */
export const T0 = Date.UTC(2026, 11, 4, 10);

/** A stored vite-plugin-monitor click; every one serialises to a line of the same length. */
export function record(n: number, level: EventLevel = 'info'): EventRecord {
  const id = `ev${String(n).padStart(13, '0')}`;
  return {
    id,
    session: 'sessionrow00001',
    website: 'website0000site',
    type: 'click',
    path: '/home',
    eventName: '',
    timestamp: T0 + n,
    receivedAt: T0 + n,
    appId: 'my-app',
    level,
    clientSessionId: 'sess_1',
    userId: 'anon_1',
    payload: { tag: 'button', n: String(n).padStart(6, '0') },
    meta: { route: '/home', viewport: '1280x720' },
  };
}

export const records = (from: number, to: number, level?: EventLevel): EventRecord[] =>
  Array.from({ length: to - from }, (_, i) => record(from + i, level));

export async function names(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** What vite-plugin-monitor 1.7's real client sent: one event of every type (shared test data). */
export const monitorEvents = JSON.parse(
  readFileSync(
    new URL('../../../../../shared/fixtures/vite-plugin-monitor-1.7/client-events.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>[];
