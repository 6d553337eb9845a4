import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSkopos, type Skopos, type SkoposOptions, type Store, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach } from 'vitest';
import { fileJournal } from './file-journal.ts';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A request as a real browser sends it (so the bot detector lets it through). */
export function browser(ip: string) {
  return {
    remoteAddress: ip,
    headers: {
      'user-agent': CHROME_UA,
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-site': 'cross-site',
    },
  };
}

/** A memory store that outlives pipelines (a stand-in for a database) and can be switched off. */
export interface OutageStore extends Store {
  down: boolean;
  writes: number;
}

export function outageStore(): OutageStore {
  const inner = memoryStore({ websites: [{ id: 'site', trackingId: 'site', domain: 'example.com' }] });
  const store: OutageStore = {
    name: 'outage-memory',
    down: false,
    writes: 0,
    getWebsite: (id) => inner.getWebsite(id),
    write(batch) {
      if (store.down) throw new Error('the store is down');
      store.writes += 1;
      return inner.write(batch);
    },
    query: (q) => inner.query(q),
    stats: (q) => inner.stats(q),
    ensureSecret: (key, value) => inner.ensureSecret(key, value),
  };
  return store;
}

/** Temporary journal directories and pipelines, cleaned up after each test. */
export function useJournals() {
  const dirs: string[] = [];
  const open: Skopos[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((skopos) => skopos.shutdown()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async dir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'skopos-journal-'));
      dirs.push(dir);
      return dir;
    },
    /** A pipeline on `store` journaling to `dir`; `shutdown()` it yourself to test a restart. */
    pipeline(
      store: Store,
      dir: string,
      options: Partial<SkoposOptions> & { segmentBytes?: number } = {},
    ): Skopos {
      const { segmentBytes, ...rest } = options;
      const journal = fileJournal({ dir, fsync: false, ...(segmentBytes ? { segmentBytes } : {}) });
      const skopos = createSkopos({
        store,
        journal,
        logger: silentLogger,
        shutdownTimeoutMs: 200,
        ...rest,
      });
      open.push(skopos);
      return skopos;
    },
  };
}

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('run-'));
}

export async function allEvents(skopos: Skopos) {
  const page = await skopos.query({ website: 'site', since: 0, until: Date.now() + 60_000, limit: 10_000 });
  return page.events;
}
