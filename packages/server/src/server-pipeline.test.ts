import { emptyBatch, memorySessionStore } from '@skopos/core';
import { makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { fileJournal } from '@skopos/journal';
import type { MemoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import type { StartServerOptions } from './options.ts';
import { storeFor } from './server-pipeline.ts';

const session = makeSession(makeVisitor('w'));

/** Events the server's memory store holds after one batch of 2 is written to it twice. */
function heldAfterTwoWrites(options: StartServerOptions): number {
  const store = storeFor(options) as MemoryStore;
  const batch = {
    ...emptyBatch(),
    events: [makeEvent(session, { id: 'a' }), makeEvent(session, { id: 'b' })],
  };
  store.write(batch);
  store.write(batch);
  return store.size;
}

describe("the server's memory store leaves re-sent events to the pipeline only when it covers them", () => {
  it('does so by default: the pipeline writes each event at once and keeps 100 000 identities a site', () => {
    expect(heldAfterTwoWrites({})).toBe(4);
    expect(heldAfterTwoWrites({ pipeline: { identityWindow: { perSite: 100_000 } } })).toBe(4);
  });

  it.each<[string, StartServerOptions]>([
    ['events are batched (batchInterval)', { batchInterval: 1000 }],
    ['a batch interval is set, even 0 (batchInterval)', { batchInterval: 0 }],
    ['a journal may replay events into it twice (journal)', { journal: '/nonexistent/skopos-journal' }],
    [
      'a journal may replay events into it twice (pipeline.journal)',
      { pipeline: { journal: fileJournal({ dir: '/nonexistent/skopos-journal' }) } },
    ],
    ['sessions are shared between processes', { pipeline: { sessions: memorySessionStore() } }],
    ['events are batched (pipeline.batch)', { pipeline: { batch: true } }],
    ['log files are read back into it (logDir)', { logDir: '/nonexistent/skopos-logs' }],
    ["the pipeline's identity window is short", { pipeline: { identityWindow: { perSite: 50_000 } } }],
  ])('checks ids itself when %s', (_, options) => {
    expect(heldAfterTwoWrites(options)).toBe(2);
  });
});
