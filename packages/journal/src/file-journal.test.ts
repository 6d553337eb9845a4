import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, copyFile, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Skopos, WriteBatch } from '@skopos/core';
import { describe, expect, it, vi } from 'vitest';
import { fileJournal } from './file-journal.ts';
import { allEvents, browser, outageStore, segmentFiles, useJournals } from './test-support.ts';

const journals = useJournals();
const pageView = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'pageView',
  url: `https://example.com/p${n}`,
  ...extra,
});

describe('fileJournal with createSkopos', () => {
  it('keeps what a down store did not take at shutdown, and the next start stores it once', async () => {
    const dir = await journals.dir();
    const store = outageStore();
    store.down = true;
    const first = journals.pipeline(store, dir);
    for (let i = 0; i < 50; i++) {
      const result = await first.track({
        siteId: 'site',
        payload: pageView(i),
        request: browser(`198.51.100.${i}`),
      });
      expect(result.ok).toBe(true);
    }
    const summary = await first.shutdown();
    expect(summary).toEqual({
      unsaved: expect.any(Number),
      unsavedEvents: 50,
      unconfirmedEvents: expect.any(Number),
      journaled: true,
    });

    store.down = false;
    const second = journals.pipeline(store, dir);
    await second.ready();
    await second.flush();
    const events = await allEvents(second);
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.path)).size).toBe(50);
    expect(second.counters()).toMatchObject({ recovered: 50, stored: 50, pending: 0 });
    // A third start finds nothing left to replay.
    expect((await second.shutdown()).unsaved).toBe(0);
    const third = journals.pipeline(store, dir);
    await third.ready();
    expect(third.counters().recovered).toBe(0);
    expect(await allEvents(third)).toHaveLength(50);
  });

  it('continues a live session after a restart, and a re-sent event stays a duplicate', async () => {
    const dir = await journals.dir();
    const store = outageStore();
    const first = journals.pipeline(store, dir);
    const a = await first.track({
      siteId: 'site',
      payload: pageView(1, { eventId: 'ev-1' }),
      request: browser('203.0.113.5'),
    });
    await first.shutdown();

    const second = journals.pipeline(store, dir);
    const again = await second.track({
      siteId: 'site',
      payload: pageView(1, { eventId: 'ev-1' }),
      request: browser('203.0.113.5'),
    });
    const b = await second.track({ siteId: 'site', payload: pageView(2), request: browser('203.0.113.5') });
    await second.flush();
    expect(a.ok && b.ok && again.ok).toBe(true);
    if (!a.ok || !b.ok || !again.ok) return;
    expect(again.duplicate).toBe(true);
    expect(b.sessionId).toBe(a.sessionId);
    const stats = await second.stats({ website: 'site', since: 0, until: Date.now() + 60_000 });
    expect(stats).toMatchObject({ sessions: 1, bounceRate: 0 });
    expect(await allEvents(second)).toHaveLength(2);
  });

  it('does not count a JS error twice after a clean restart', async () => {
    const dir = await journals.dir();
    const store = outageStore();
    const first = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    const error = {
      type: 'jsError',
      url: 'https://example.com/',
      errorMessage: 'boom',
      stackTrace: 'at f (https://example.com/app.js:1:2)',
    };
    expect((await first.track({ siteId: 'site', payload: error, request: browser('203.0.113.9') })).ok).toBe(
      true,
    );
    await first.flushJsErrors();
    await first.shutdown();
    const second = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    await second.ready();
    await second.flushJsErrors();
    const stats = await second.stats({ website: 'site', since: 0, until: Date.now() + 60_000 });
    expect(stats.jsErrors.map((row) => row.count)).toEqual([1]);
  });

  it('a JS-error write the store committed but never answered is not counted again after restarts', async () => {
    const dir = await journals.dir();
    const inner = outageStore();
    // The store applies every write, then the answer is lost (a dropped connection) while `lose` is on.
    let lose = true;
    const store = {
      ...inner,
      async write(batch: WriteBatch) {
        await inner.write(batch);
        if (lose) throw new Error('the connection dropped before the answer');
      },
    };
    const error = (message: string) => ({
      type: 'jsError',
      url: 'https://example.com/',
      errorMessage: message,
      stackTrace: 'at f (https://example.com/app.js:1:2)',
    });
    const track = async (skopos: Skopos, message: string) => {
      const result = await skopos.track({
        siteId: 'site',
        payload: error(message),
        request: browser('203.0.113.9'),
      });
      expect(result.ok).toBe(true);
    };
    const counts = async (skopos: Skopos) => {
      const stats = await skopos.stats({ website: 'site', since: 0, until: Date.now() + 60_000 });
      return Object.fromEntries(stats.jsErrors.map((row) => [row.errorMessage, row.count]));
    };
    const first = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    for (const message of ['boom', 'boom', 'bang']) await track(first, message);
    await expect(first.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });
    expect((await first.shutdown()).journaled).toBe(true);
    // The first error went out at once (jsErrorBatchInterval 0), the others wait behind that write.
    expect(await counts(first), 'the store holds the first write').toEqual({ boom: 1 });

    // The store still loses its answers: the write is made again, the rest waits, all is journaled
    // again (the write as a write: a third start must not fold the waiting errors into it).
    const second = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    await second.ready();
    await expect(second.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });
    expect((await second.shutdown()).journaled).toBe(true);
    expect(await counts(second)).toEqual({ boom: 1 });

    lose = false;
    const third = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    await third.ready();
    await track(third, 'bang');
    await third.flushJsErrors();
    expect(await counts(third)).toEqual({ boom: 2, bang: 2 });
    await third.shutdown();
    const fourth = journals.pipeline(store, dir, { jsErrorBatchInterval: 0 });
    await fourth.ready();
    await fourth.flushJsErrors();
    expect(await counts(fourth), 'a clean restart replays nothing').toEqual({ boom: 2, bang: 2 });
  });

  it('deletes files once the store has everything in them, and keeps idle live sessions', async () => {
    const dir = await journals.dir();
    const store = outageStore();
    const skopos = journals.pipeline(store, dir, { segmentBytes: 4096, batch: false });
    const idle = await skopos.track({ siteId: 'site', payload: pageView(0), request: browser('192.0.2.1') });
    for (let i = 0; i < 300; i++) {
      await skopos.track({ siteId: 'site', payload: pageView(i), request: browser(`198.51.100.${i % 200}`) });
    }
    expect((await segmentFiles(dir)).length).toBeGreaterThan(10);
    await vi.waitFor(async () => expect((await segmentFiles(dir)).length).toBeLessThanOrEqual(3), {
      timeout: 10_000,
      interval: 100,
    });
    // Live sessions are kept by a snapshot, not carried along the log on every trim.
    for (const name of await segmentFiles(dir)) {
      expect(await readFile(join(dir, name), 'utf8')).not.toContain('"k":"resume"');
    }
    await skopos.shutdown();
    const next = journals.pipeline(store, dir);
    const later = await next.track({ siteId: 'site', payload: pageView(1), request: browser('192.0.2.1') });
    expect(idle.ok && later.ok && later.sessionId === idle.sessionId).toBe(true);
  });
});

describe('fileJournal', () => {
  it('refuses a directory another live process holds', async () => {
    const dir = await journals.dir();
    const first = fileJournal({ dir });
    await first.recover();
    await expect(fileJournal({ dir }).recover()).rejects.toThrow(/in use by process/);
    await first.close();
    const second = fileJournal({ dir });
    await expect(second.recover()).resolves.toEqual({ snapshot: [], runs: [[]] });
    await second.close();
  });

  it('takes over the lock of a process killed but not yet reaped (a restart right after kill -9)', async () => {
    const dir = await journals.dir();
    // `sleep 0` ends at once, and its parent, now `sleep 5`, never reaps it: a zombie that still
    // answers signal 0.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number.parseInt(line.toString(), 10);
      await vi.waitFor(async () => expect(await readFile(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /), {
        timeout: 5000,
        interval: 20,
      });
      expect(() => process.kill(zombie, 0), 'signal 0 still reaches it').not.toThrow();
      await writeFile(join(dir, 'journal.lock'), String(zombie));
      const journal = fileJournal({ dir });
      await expect(journal.recover()).resolves.toEqual({ snapshot: [], runs: [] });
      await journal.close();
    } finally {
      parent.kill();
    }
  });

  it('skips a line torn by a crash and keeps the rest', async () => {
    const dir = await journals.dir();
    const first = fileJournal({ dir, fsync: false });
    await first.recover();
    first.append({ k: 'discard', s: 1, v: 'session-a' });
    first.append({ k: 'discard', s: 2, v: 'session-b' });
    await first.sync();
    await first.close();
    const [file] = await segmentFiles(dir);
    await appendFile(join(dir, file as string), '{"k":"discard","s":3,"v":"sess');
    const warnings: string[] = [];
    const second = fileJournal({ dir, warn: (message) => warnings.push(message) });
    const { runs } = await second.recover();
    expect(runs).toEqual([
      [
        { k: 'discard', s: 1, v: 'session-a' },
        { k: 'discard', s: 2, v: 'session-b' },
      ],
    ]);
    expect(warnings).toEqual([expect.stringContaining('1 unreadable lines')]);
    await second.dropRecovered();
    await second.close();
    expect((await readdir(dir)).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
  });

  it('names the option it needs', () => {
    expect(() => fileJournal({ dir: '' })).toThrow(/option `dir` is required/);
    expect(() => fileJournal({ dir: '/tmp/x', segmentBytes: 0 })).toThrow(/segmentBytes/);
  });

  it('retries a failed write ahead of later entries: a sync that resolves means everything before it is on disk', async () => {
    const dir = await journals.dir();
    const first = fileJournal({ dir, fsync: false, segmentBytes: 64, warn: () => undefined });
    await first.recover();
    first.append({ k: 'discard', s: 1, v: 'x'.repeat(80) });
    await first.sync();
    // The next file's name is taken (by a directory): rolling to it fails until it is freed.
    const [current] = await segmentFiles(dir);
    const blocker = join(dir, (current as string).replace(/-000001\.jsonl$/, '-000002.jsonl'));
    await mkdir(blocker);
    first.append({ k: 'discard', s: 2, v: 'lost?' });
    await expect(first.sync()).rejects.toThrow();
    await rmdir(blocker);
    first.append({ k: 'discard', s: 3, v: 'after' });
    await first.sync();
    await first.close();
    const second = fileJournal({ dir, fsync: false });
    const { runs } = await second.recover();
    expect(runs.flat().map((entry) => (entry.k === 'discard' ? entry.s : 0))).toEqual([1, 2, 3]);
    await second.close();
  });

  it('skips the runs a later run superseded, even when deleting their files failed', async () => {
    const dir = await journals.dir();
    const a = fileJournal({ dir, fsync: false });
    await a.recover();
    a.append({
      k: 'jsError',
      s: 1,
      v: {
        website: 'w',
        session: 's',
        errorHash: 'h',
        errorMessage: 'm',
        stackTrace: '',
        url: '',
        count: 1,
        firstSeen: 1,
        lastSeen: 1,
        pages: [],
      },
    });
    await a.close();
    const [fileOfA] = await segmentFiles(dir);
    const saved = join(dir, '..', `${Date.now()}-a.copy`);
    await copyFile(join(dir, fileOfA as string), saved);
    const b = fileJournal({ dir, fsync: false });
    const recovered = await b.recover();
    for (const entry of recovered.runs.flat()) b.append(entry);
    await b.dropRecovered();
    await b.close();
    await copyFile(saved, join(dir, fileOfA as string)); // the unlink "failed"
    const c = fileJournal({ dir, fsync: false });
    const { runs } = await c.recover();
    expect(runs.flat().filter((entry) => entry.k === 'jsError')).toHaveLength(1);
    await c.close();
  });
});
