// The pipeline every Skopos server of bench/ingest runs: createSkopos over the memory store.
import { createLogger, createSkopos } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';

export const SITE = 'bench';

/** The pipeline of a bench server; `trustProxy: 'loopback'` lets the load generator's X-Forwarded-For make distinct visitors. */
export function benchPipeline() {
  // Room for every event of a run, so the final count shows what was accepted rather than what fit.
  const store = memoryStore({
    websites: [{ trackingId: SITE, domain: 'example.com' }],
    maxBufferSize: 1_000_000,
  });
  const skopos = createSkopos({
    store,
    trustProxy: 'loopback',
    batchInterval: 1000,
    logger: createLogger({ level: 'warn' }),
  });
  return { store, skopos };
}

/** The counters a pipeline server prints when it stops: what the pipeline accepted and the store holds. */
export async function pipelineReport({ store, skopos }) {
  await skopos.shutdown(); // writes what is still queued
  const c = skopos.counters();
  return { accepted: c.accepted, stored: c.stored, held: store.size, dropped: c.dropped };
}
