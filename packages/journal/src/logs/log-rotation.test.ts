import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { silentLogger, toReadEvent } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { jsonLine } from './log-format.ts';
import { LogWriter } from './log-writer.ts';
import { replayLogs } from './replay-logs.ts';
import { DAY_MS, names, record, records, T0, useLogDirs } from './test-support.ts';

const logs = useLogDirs();
const LINE = Buffer.byteLength(jsonLine(toReadEvent(record(0))));

async function writeAll(writer: LogWriter, count: number, batch = 7): Promise<void> {
  for (let from = 0; from < count; from += batch) {
    writer.write(records(from, Math.min(count, from + batch)));
    await writer.flush();
  }
}

describe('log files: size rotation', () => {
  it('starts a new file at maxSize: N files, each within maxSize, every event once', async () => {
    const dir = await logs.dir();
    const path = join(dir, 'app.log');
    const perFile = 4;
    const writer = new LogWriter(
      {
        transports: [
          {
            format: 'json',
            path,
            rotation: { strategy: 'size', maxSize: `${LINE * perFile}b`, maxFiles: 100 },
          },
        ],
      },
      silentLogger,
    );
    await writeAll(writer, 50);
    await writer.close();
    const files = await names(dir);
    expect(files).toHaveLength(Math.ceil(50 / perFile));
    expect(files.at(-1)).toBe('app.log');
    for (const name of files) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(LINE * perFile);
    const replay = await replayLogs([{ format: 'json', path }]);
    expect(replay.events.map((event) => event.id)).toEqual(records(0, 50).map((event) => event.id));
    expect(writer.stats()).toEqual({ written: 50, filtered: 0, dropped: 0, lost: 0, errors: 0 });
  });

  it('keeps maxFiles set-aside files besides the current one, deleting the oldest', async () => {
    const dir = await logs.dir();
    const path = join(dir, 'app.log');
    const transport = {
      format: 'json',
      path,
      rotation: { strategy: 'size', maxSize: `${LINE * 4}`, maxFiles: 3 },
    } as const;
    const writer = new LogWriter({ transports: [transport] }, silentLogger);
    await writeAll(writer, 50);
    await writer.close();
    expect(await names(dir)).toHaveLength(4);
    // 50 events, 4 per file: the current file holds 2, the three kept before it 12.
    const replay = await replayLogs([transport]);
    expect(replay.events.map((event) => event.id)).toEqual(records(36, 50).map((event) => event.id));
  });

  it('gzips set-aside files: readable with gunzip, and replayed', async () => {
    const dir = await logs.dir();
    const path = join(dir, 'app.log');
    const transport = {
      format: 'json',
      path,
      rotation: { strategy: 'size', maxSize: '1k', maxFiles: 100, compress: true },
    } as const;
    const writer = new LogWriter({ transports: [transport] }, silentLogger);
    await writeAll(writer, 40);
    await writer.close();
    const files = await names(dir);
    const gzipped = files.filter((name) => name.endsWith('.log.gz'));
    expect(gzipped.length).toBe(files.length - 1);
    expect(files.some((name) => name.endsWith('.tmp'))).toBe(false);
    const first = gunzipSync(await readFile(join(dir, gzipped[0] as string))).toString('utf8');
    expect(JSON.parse(first.split('\n')[0] as string)).toEqual(toReadEvent(record(0)));
    expect((await replayLogs([transport])).events).toHaveLength(40);
  });
});

describe('log files: daily rotation', () => {
  it('writes one file per UTC day, named with its date, by the injected clock', async () => {
    const dir = await logs.dir();
    let now = T0;
    const transport = {
      format: 'json',
      path: join(dir, 'app.log'),
      rotation: { strategy: 'daily', maxFiles: 1, compress: true },
    } as const;
    const writer = new LogWriter({ transports: [transport], now: () => now }, silentLogger);
    for (let day = 0; day < 3; day++) {
      writer.write(records(day * 10, day * 10 + 10));
      await writer.flush();
      now += DAY_MS;
    }
    await writer.close();
    // maxFiles 1: the 4th's file is gone, the 5th's gzipped, the 6th's current.
    expect(await names(dir)).toEqual(['app-2026-12-05.log.gz', 'app-2026-12-06.log']);
    const replay = await replayLogs([transport]);
    expect(replay.events.map((event) => event.id)).toEqual(records(10, 30).map((event) => event.id));
  });
});
