import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyBatch, toReadEvent } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { logTransports } from './log-options.ts';
import { LogWriter } from './log-writer.ts';
import { replayLogs } from './replay-logs.ts';
import { monitorEvents, records, useLogDirs } from './test-support.ts';

const logs = useLogDirs();

/** The events at `day` (UTC, 2026-12) as vite-plugin-monitor's `json` transport writes them: one `JSON.stringify` per line. */
function peerLines(day: number, hour: number): { events: Record<string, unknown>[]; text: string } {
  const events = monitorEvents.map((event, i) => ({
    ...event,
    appId: 'my-app',
    timestamp: new Date(Date.UTC(2026, 11, day, hour, 0, i)).toISOString(),
  }));
  return { events, text: events.map((event) => `${JSON.stringify(event)}\n`).join('') };
}

describe('replayLogs: the history vite-plugin-monitor logged before a project switched', () => {
  it('reads its daily and size-rotated files next to Skopos’ own, in time order, as the peer’s events', async () => {
    const dir = await logs.dir();
    // vite-plugin-monitor's names: `<appId>-YYYY_MM_DD.log` (daily) and `…_HH_MM_SS.log` (size).
    const first = peerLines(1, 9);
    const second = peerLines(2, 9);
    await writeFile(join(dir, 'my-app-2026_12_01.log'), first.text);
    await writeFile(join(dir, 'my-app-2026_12_02_10_00_00.log'), second.text);
    // Skopos' own file of today, after the switch.
    const writer = new LogWriter({ dir, appId: 'my-app' }, { ...console, warn: () => {} });
    writer.write(records(0, 3));
    await writer.close();

    const memory = memoryStore({ autoCreateWebsites: true });
    const transports = logTransports({ dir, appId: 'my-app' });
    const replay = await replayLogs(transports, { siteOf: (appId) => memory.getWebsite(appId) });
    const peer = [...first.events, ...second.events];
    expect(replay).toMatchObject({ files: 3, badLines: 0, monitorLines: peer.length });
    expect(replay.events).toHaveLength(peer.length + 3);

    const read = replay.events.map((event) => toReadEvent(event));
    for (const [i, sent] of peer.entries()) {
      expect(read[i], String(sent.type)).toMatchObject({
        timestamp: sent.timestamp,
        type: sent.type,
        level: sent.level,
        appId: 'my-app',
        sessionId: sent.sessionId,
        userId: sent.userId,
        payload: sent.payload,
        meta: { route: (sent.meta as { route: string }).route },
      });
    }
    expect(read.slice(peer.length).map((event) => event.id)).toEqual(records(0, 3).map((event) => event.id));

    // The same files read again give the same events (ids derived from them), and the store takes them.
    const again = await replayLogs(transports, { siteOf: (appId) => memory.getWebsite(appId) });
    expect(again.events.map((event) => event.id)).toEqual(replay.events.map((event) => event.id));
    expect(new Set(replay.events.map((event) => event.id)).size).toBe(replay.events.length);
    memory.write({ ...emptyBatch(), events: replay.events });
    expect(memory.size).toBe(replay.events.length);

    // Without a way to find their site the peer's lines cannot be stored: they are counted as bad.
    const blind = await replayLogs(transports);
    expect(blind).toMatchObject({ badLines: peer.length, monitorLines: 0 });
    expect(blind.events).toHaveLength(3);
  });
});

describe('log housekeeping and vite-plugin-monitor’s files', () => {
  it('deletes and compresses only Skopos’ own files past maxFiles; the peer’s history stays as it is', async () => {
    const dir = await logs.dir();
    const peerFiles = Array.from({ length: 5 }, (_, i) => `my-app-2026_11_0${i + 1}.log`);
    for (const [i, name] of peerFiles.entries()) await writeFile(join(dir, name), peerLines(i + 1, 9).text);
    const ownOld = ['my-app-2026-11-20.log', 'my-app-2026-11-21.log', 'my-app-2026-11-22.log'];
    for (const name of ownOld) await writeFile(join(dir, name), '');
    const transports = [
      {
        format: 'json' as const,
        path: join(dir, 'my-app.log'),
        rotation: { strategy: 'daily' as const, maxFiles: 2, compress: true },
      },
    ];
    const writer = new LogWriter({ transports }, { ...console, warn: () => {} });
    writer.write(records(0, 1));
    await writer.close(); // waits for the housekeeping its first write started
    const left = (await readdir(dir)).sort();
    for (const name of peerFiles) expect(left, name).toContain(name);
    expect(left).not.toContain(ownOld[0]);
    expect(left).toContain(`${ownOld[1]}.gz`);
    expect(left).toContain(`${ownOld[2]}.gz`);
    const replay = await replayLogs(transports, {
      siteOf: () => memoryStore({ autoCreateWebsites: true }).getWebsite('my-app'),
    });
    expect(replay.monitorLines).toBe(peerFiles.length * monitorEvents.length);
  });
});

describe('the order of the two tools’ files', () => {
  it('reads vite-plugin-monitor’s files of the switch day before Skopos’ own, size-rotated ones too', async () => {
    const dir = await logs.dir();
    const day = new Date().toISOString().slice(0, 10);
    const peerDaily = `my-app-${day.replace(/-/g, '_')}.log`;
    const peerRotated = `my-app-${day.replace(/-/g, '_')}_23_59_59.log`;
    const peer = peerLines(1, 9);
    await writeFile(join(dir, peerDaily), peer.text);
    await writeFile(join(dir, peerRotated), peer.text);
    const writer = new LogWriter({ dir, appId: 'my-app' }, { ...console, warn: () => {} });
    writer.write(records(0, 3));
    await writer.close();
    const own = await readdir(dir);
    expect(own).toContain(`my-app-${day}.log`);
    const transports = logTransports({ dir, appId: 'my-app' });
    // Room for Skopos' 3 events and 1 more: the newest are kept, Skopos' own among them.
    const replay = await replayLogs(transports, {
      maxEvents: 4,
      siteOf: () => memoryStore({ autoCreateWebsites: true }).getWebsite('my-app'),
    });
    expect(replay.events.slice(1).map((event) => event.id)).toEqual(records(0, 3).map((event) => event.id));
  });
});
