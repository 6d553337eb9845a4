import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BASE_TIME,
  describeStore,
  makeBatch,
  makeEvent,
  makeSession,
  makeVisitor,
} from '@skopos/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/index.ts';

// The conformance suite as vitest tests, one per case (check.mjs runs the same cases without vitest).
describeStore({
  name: 'sqlite',
  async create({ websites }) {
    const store = await sqliteStore({ websites });
    return {
      store,
      readSessions: (website) => store.readSessions(website),
      readVisitors: (website) => store.readVisitors(website),
      readJsErrors: (website) => store.readJsErrors(website),
    };
  },
  destroy: ({ store }) => store.close?.(),
  // SQLite cannot tell one process that another changed a row (README).
  declines: ['watchWebsite'],
});

// What the suite cannot see: the file. Each case gets its own temporary directory.
describe('sqliteStore with a file', () => {
  const dirs: string[] = [];
  const tempFile = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'skopos-sqlite-'));
    dirs.push(dir);
    return join(dir, 'nested', 'skopos.sqlite');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const site = { trackingId: 'docs', domain: 'docs.example' };

  it('keeps events, sessions, websites and secrets across close and reopen', async () => {
    const file = tempFile();
    const first = await sqliteStore({ file, websites: [site] });
    const website = (await first.getWebsite('docs'))?.id ?? '';
    const visitor = makeVisitor(website);
    const session = makeSession(visitor);
    const event = makeEvent(session);
    await first.write(makeBatch({ visitors: [visitor], sessions: [session], events: [event] }));
    expect(await first.ensureSecret?.('salt', 'first')).toBe('first');
    await first.close?.();

    // No `websites` this time: the site comes from the file.
    const second = await sqliteStore({ file });
    expect(await second.getWebsite('docs')).toMatchObject({ id: website, domain: 'docs.example' });
    expect((await second.query({ website, since: BASE_TIME })).events).toEqual([event]);
    expect(second.readSessions(website)).toEqual([session]);
    expect(await second.ensureSecret?.('salt', 'second'), 'the salt survives a restart').toBe('first');
    await second.close?.();
  });

  it('saves after saveDelayMs, or before write resolves with 0', async () => {
    const file = tempFile();
    const store = await sqliteStore({ file, websites: [site], saveDelayMs: 0 });
    expect(existsSync(file), 'nothing written yet').toBe(false);
    const visitor = makeVisitor('w');
    await store.write(makeBatch({ visitors: [visitor] }));
    expect(existsSync(file)).toBe(true);
    await store.close?.();

    const delayed = tempFile();
    const debounced = await sqliteStore({ file: delayed, saveDelayMs: 20 });
    await debounced.write(makeBatch({ visitors: [visitor] }));
    expect(existsSync(delayed), 'not yet: saves are debounced').toBe(false);
    await expect.poll(() => existsSync(delayed)).toBe(true);
    await debounced.close?.();
  });

  it('refuses writes after close, so the pipeline retries them instead of losing them silently', async () => {
    const store = await sqliteStore({ websites: [site] });
    await store.close?.();
    expect(() => store.write(makeBatch({}))).toThrow(/closed/);
  });
});
