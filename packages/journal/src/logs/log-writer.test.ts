import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, silentLogger, toReadEvent } from '@skopos/core';
import { describe, expect, it, vi } from 'vitest';
import { jsonLine } from './log-format.ts';
import { LogWriter } from './log-writer.ts';
import { replayLogs } from './replay-logs.ts';
import { record, records, useLogDirs } from './test-support.ts';

const logs = useLogDirs();

describe('log files: what is written', () => {
  it('writes nothing below `level`; pretty lines are one per event', async () => {
    const dir = await logs.dir();
    const writer = new LogWriter(
      {
        level: 'warn',
        transports: [
          { format: 'json', path: join(dir, 'events.jsonl') },
          { format: 'pretty', path: join(dir, 'events.txt') },
        ],
      },
      silentLogger,
    );
    writer.write([
      ...records(0, 3, 'debug'),
      ...records(3, 6, 'info'),
      ...records(6, 8, 'warn'),
      record(8, 'error'),
    ]);
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 3, filtered: 6 });
    const json = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(json.map((line) => JSON.parse(line).level)).toEqual(['warn', 'warn', 'error']);
    const pretty = (await readFile(join(dir, 'events.txt'), 'utf8')).trim().split('\n');
    expect(pretty).toHaveLength(3);
    expect(pretty[2]).toMatch(/^2026-12-04T10:00:00\.008Z ERROR click +my-app user=anon_1 session=sess_1 /);
  });

  it('a failing disk never throws into ingest: failures are counted and logged once', async () => {
    const dir = await logs.dir();
    await writeFile(join(dir, 'not-a-dir'), '');
    const logger: Logger = { ...silentLogger, error: vi.fn() };
    const writer = new LogWriter(
      { transports: [{ format: 'json', path: join(dir, 'not-a-dir', 'app.log') }] },
      logger,
    );
    for (let i = 0; i < 5; i++) {
      expect(() => writer.write(records(i * 10, i * 10 + 10))).not.toThrow();
      await writer.flush();
    }
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 50, lost: 50, errors: 5 });
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('bounds what waits for the disk: past maxQueued, events are dropped from the logs and counted', async () => {
    const dir = await logs.dir();
    const writer = new LogWriter({ dir, maxQueued: 5 }, silentLogger);
    writer.write(records(0, 3));
    writer.write(records(3, 10));
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 5, dropped: 5 });
  });

  it('ends a line a crash cut short before appending, so the next event is not lost with it', async () => {
    const dir = await logs.dir();
    const path = join(dir, 'app.log');
    await mkdir(dir, { recursive: true });
    await appendFile(path, `${jsonLine(toReadEvent(record(0)))}{"id":"ev000`);
    const writer = new LogWriter({ transports: [{ format: 'json', path }] }, silentLogger);
    writer.write([record(1)]);
    await writer.close();
    const replay = await replayLogs([{ format: 'json', path }]);
    expect(replay.events.map((event) => event.id)).toEqual([record(0).id, record(1).id]);
    expect(replay.badLines).toBe(1);
  });
});
