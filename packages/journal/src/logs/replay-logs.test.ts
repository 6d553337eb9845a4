import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSkopos,
  type EventRecord,
  emptyBatch,
  type ReadEvent,
  silentLogger,
  toReadEvent,
} from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { browser } from '../test-support.ts';
import { dayStamp } from './log-names.ts';
import { logTransports } from './log-options.ts';
import { LogWriter } from './log-writer.ts';
import { eventFromLogLine } from './logged-event.ts';
import { loggedStore } from './logged-store.ts';
import { replayLogs } from './replay-logs.ts';
import { monitorEvents, records, useLogDirs } from './test-support.ts';

const logs = useLogDirs();

const site = () => memoryStore({ websites: [{ trackingId: 'my-app', domain: '' }] });

function reads(store: MemoryStore): ReadEvent[] {
  const page = store.query({
    website: store.getWebsite('my-app')?.id ?? '',
    since: 0,
    until: Date.now() + 60_000,
    limit: 10_000,
  });
  return page.events.map((event) => toReadEvent(event));
}

describe('replayLogs: a restart fills the memory store again', () => {
  it('replays every event a logged store accepted, read back exactly as before', async () => {
    const dir = await logs.dir();
    const store = loggedStore(site(), { dir, appId: 'my-app', level: 'debug' }, silentLogger);
    const skopos = createSkopos({ store, logger: silentLogger });
    const now = Date.now();
    for (const [i, event] of monitorEvents.entries()) {
      const payload = { ...event, timestamp: new Date(now - 1000 + i).toISOString() };
      expect(
        await skopos.track({ siteId: 'my-app', payload, request: browser('203.0.113.7'), now }),
      ).toMatchObject({ ok: true });
    }
    for (let i = 0; i < 20; i++) {
      const payload = {
        type: i % 2 ? 'custom' : 'pageView',
        name: 'signup',
        customData: { i },
        url: `https://example.com/p${i}`,
        eventId: `e-${i}`,
      };
      expect(
        await skopos.track({ siteId: 'my-app', payload, request: browser('198.51.100.2'), now }),
      ).toMatchObject({ ok: true });
    }
    await skopos.flush();
    const before = reads(store as unknown as MemoryStore);
    expect(before).toHaveLength(monitorEvents.length + 20);
    await skopos.shutdown(); // closes the store, which flushes the log files
    expect(store.logFiles.stats()).toMatchObject({ written: before.length, lost: 0, errors: 0 });

    const replay = await replayLogs(logTransports({ dir, appId: 'my-app' }));
    expect(replay).toMatchObject({ files: 1, badLines: 0, older: 0 });
    expect(replay.events).toHaveLength(before.length);
    const restarted = site();
    restarted.write({ ...emptyBatch(), events: replay.events });
    expect(reads(restarted)).toEqual(before);
    // Session rows are not in the logs: event figures come back, per-session ones start afresh.
    const range = { since: 0, until: now + 60_000 };
    const { pageviews, events, topPages, eventNames } = (store as unknown as MemoryStore).stats(range);
    expect(restarted.stats(range)).toMatchObject({ pageviews, events, topPages, eventNames });

    // A client re-sending an event after the restart: its id is in the buffer, it is not stored twice.
    const again = createSkopos({ store: restarted, logger: silentLogger });
    const resent = { type: 'pageView', url: 'https://example.com/p0', eventId: 'e-0' };
    await again.track({ siteId: 'my-app', payload: resent, request: browser('198.51.100.2'), now });
    await again.shutdown();
    expect(restarted.size).toBe(before.length);
  });

  it('keeps the newest maxEvents, reading rotated and current files newest last', async () => {
    const dir = await logs.dir();
    const transports = logTransports({
      transports: [
        {
          format: 'json',
          path: join(dir, 'a.log'),
          rotation: { strategy: 'size', maxSize: '2k', maxFiles: 50 },
        },
      ],
    });
    const writer = new LogWriter({ transports }, silentLogger);
    for (let i = 0; i < 60; i += 6) {
      writer.write(records(i, i + 6));
      await writer.flush();
    }
    await writer.close();
    const replay = await replayLogs(transports, { maxEvents: 25 });
    expect(replay.events.map((event) => event.id)).toEqual(records(35, 60).map((event) => event.id));
    expect(replay.files).toBeGreaterThan(1);
    expect(replay.events.length + replay.older).toBeLessThan(60); // older files were not read at all
  });

  it('skips and counts a truncated last line and damaged lines', async () => {
    const dir = await logs.dir();
    const transports = logTransports({ dir });
    const writer = new LogWriter({ dir }, silentLogger);
    writer.write(records(0, 10));
    await writer.close();
    // Daily by default: today's file carries the date.
    const file = join(dir, `skopos-${dayStamp(Date.now())}.log`);
    expect(transports[0]?.path).toBe(join(dir, 'skopos.log'));
    await appendFile(file, 'not json\n{"id":"x"}\n{"id":"ev0000000000099","timest');
    const replay = await replayLogs(transports);
    expect(replay.events).toHaveLength(10);
    expect(replay.badLines).toBe(3);
  });
});

describe('eventFromLogLine', () => {
  it('answers the stored event whose read shape is the line', () => {
    for (const event of records(0, 3)) {
      const back = eventFromLogLine(JSON.parse(JSON.stringify(toReadEvent(event))));
      expect(back && toReadEvent(back)).toEqual(toReadEvent(event));
    }
    const line = toReadEvent(records(0, 1)[0] as EventRecord);
    expect(eventFromLogLine({ ...line, timestamp: 'yesterday' })).toBeUndefined();
    expect(eventFromLogLine({ ...line, id: 7 })).toBeUndefined();
  });
});
