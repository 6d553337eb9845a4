import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { memorySessionStore } from '../session/memory-session-store.ts';
import type { SessionStore } from '../session/session-store.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest } from './test-support/requests.ts';

let release: () => void = () => {};
afterEach(() => release());

/** A shared session store whose commits wait for `release()` once `hold` is set. */
function heldCommits() {
  const inner = memorySessionStore();
  let hold = false;
  let started: () => void = () => {};
  const commitStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const sessions: SessionStore = {
    name: 'held',
    load: (site, key) => inner.load(site, key),
    async commit(change) {
      if (hold) {
        started();
        await gate;
      }
      return inner.commit(change);
    },
  };
  return { sessions, holdFromNow: () => (hold = true), commitStarted };
}

describe('shared sessions at shutdown', () => {
  it('counts an event committed after shutdown stopped waiting as dropped, never answers it stored', async () => {
    const store = recordingStore([website('site')]);
    const { sessions, holdFromNow, commitStarted } = heldCommits();
    const skopos = createSkopos({ store, sessions, logger: silentLogger, shutdownTimeoutMs: 20 });
    const request = browserRequest('203.0.113.7');
    const page = (path: string) => ({ type: 'pageView', url: `https://example.com${path}` });
    expect((await skopos.track({ siteId: 'site', payload: page('/a'), request })).ok).toBe(true);

    holdFromNow();
    const late = skopos.track({ siteId: 'site', payload: page('/b'), request });
    await commitStarted;
    // Shutdown gives up on the commit after shutdownTimeoutMs and closes the queue.
    await skopos.shutdown();
    release();
    const answer = await late;

    expect(answer).toMatchObject({ ok: false, reason: 'shut_down' });
    const counters = skopos.counters();
    expect(counters.accepted).toBe(1);
    expect(counters.dropped.shut_down).toBe(1);
    expect(store.events.map((event) => event.path)).toEqual(['/a']);
  });
});
