import { createSkopos, type Skopos } from '@skopos/core';
import { makeWebsite } from '@skopos/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { browserRequest, rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// No hooks dir: writes go through the batch API, where PocketBase checks each record's fields.
const pocketbase = usePocketBase();

const request = browserRequest('203.0.113.9');

/** The fields changed by a test, with their settings before (put back after each test: one PocketBase per file). */
const changed = new Map<string, number>();

/** Sets the `max` length of a text field, as one could in PocketBase's admin UI. */
async function narrow(store: PocketBaseStore, collection: string, name: string, max: number): Promise<void> {
  const found = await store.client.collections.getOne(collection);
  const key = `${collection}.${name}`;
  const fields = found.fields.map((field) => {
    if (field.name !== name) return field;
    if (!changed.has(key)) changed.set(key, field.max);
    return { ...field, max };
  });
  await store.client.collections.update(found.id, { fields });
}

const narrowPath = (store: PocketBaseStore, max: number) => narrow(store, 'events', 'path', max);

let open: { skopos: Skopos; store: PocketBaseStore } | null = null;
afterEach(async () => {
  if (open === null) return;
  for (const [key, max] of changed) {
    const [collection = '', name = ''] = key.split('.');
    await narrow(open.store, collection, name, max);
  }
  changed.clear();
  await open.skopos.shutdown();
  await open.store.close();
  open = null;
});

async function pipelineOn(trackingId: string) {
  const errors: string[] = [];
  const store = storeFor(pocketbase(), { writePath: 'batch' });
  const site = await store.createWebsite(makeWebsite({ trackingId, domain: 'example.com' }));
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error: (message: string) => errors.push(message),
  };
  const skopos = createSkopos({ store, logger, batchInterval: 60_000 });
  open = { skopos, store };
  const track = async (path: string) => {
    const payload = { type: 'pageView', url: `https://example.com${path}` };
    expect(await skopos.track({ siteId: trackingId, payload, request })).toMatchObject({ ok: true });
  };
  return { store, site, skopos, track, errors };
}

describe('pocketbaseStore: records PocketBase refuses for a value', () => {
  it('sets aside only the event PocketBase refuses: the others are stored, the drop is counted', async () => {
    const { store, site, skopos, track, errors } = await pipelineOn('refused-one');
    await narrowPath(store, 40);
    const long = `/${'a'.repeat(60)}`;
    for (const path of ['/one', '/two', long, '/three', '/four']) await track(path);
    await skopos.flush();
    const stored = await rowsOf(store, 'events', site.id);
    expect(stored.map((row) => row.path).sort()).toEqual(['/four', '/one', '/three', '/two']);
    expect(skopos.counters()).toMatchObject({ accepted: 5, stored: 4, pending: 0 });
    expect(skopos.counters().dropped.store_rejected).toBe(1);
    // The log names the record, the field and PocketBase's reason.
    expect(errors.join('\n')).toMatch(/refused 1 event alone.*refused a record of events: path: /);
  });

  it('a collection that refuses every event loses none: they wait, and are stored once it is fixed', async () => {
    const { store, site, skopos, track, errors } = await pipelineOn('refused-all');
    await narrowPath(store, 1);
    for (const path of ['/one', '/two', '/three']) await track(path);
    await expect(skopos.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 0, pending: 3 });
    expect(skopos.counters().dropped.store_rejected).toBe(0);
    expect(errors.join('\n')).toContain('refuses every event it was given');
    await narrowPath(store, 4096);
    await skopos.flush();
    expect((await rowsOf(store, 'events', site.id)).map((row) => row.path).sort()).toEqual([
      '/one',
      '/three',
      '/two',
    ]);
    expect(skopos.counters()).toMatchObject({ stored: 3, pending: 0 });
  });

  it('a session row PocketBase refuses is dropped and counted; the other rows and every event are stored', async () => {
    const { store, site, skopos, track, errors } = await pipelineOn('refused-session');
    await narrow(store, 'sessions', 'exitPath', 20);
    await track('/short');
    const long = `/${'b'.repeat(40)}`;
    const other = browserRequest('203.0.113.10');
    const payload = { type: 'pageView', url: `https://example.com${long}` };
    expect(await skopos.track({ siteId: 'refused-session', payload, request: other })).toMatchObject({
      ok: true,
    });
    await track('/again');
    // Without the row search, the refused row held every write: flush() rejected, nothing stored.
    await skopos.flush();
    const paths = (await rowsOf(store, 'events', site.id)).map((row) => row.path);
    expect(paths.sort()).toEqual(['/again', long, '/short'].sort());
    const sessions = await rowsOf(store, 'sessions', site.id);
    expect(sessions.map((row) => row.exitPath)).toEqual(['/again']);
    expect(await rowsOf(store, 'visitors', site.id)).toHaveLength(2);
    expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 3, pending: 0, rowsRejected: 1 });
    expect(skopos.counters().dropped.store_rejected).toBe(0);
    expect(errors.join('\n')).toMatch(
      /refused 1 session or visitor row alone.*refused a record of sessions: exitPath/,
    );
  });

  it('a JS error PocketBase refuses is kept for later, and the events behind it are stored', async () => {
    const { store, site, skopos, track, errors } = await pipelineOn('refused-error');
    await narrow(store, 'js_errors', 'errorMessage', 10);
    await track('/before');
    const payload = {
      type: 'jsError',
      url: 'https://example.com/',
      errorMessage: 'TypeError: a long message',
    };
    expect(await skopos.track({ siteId: 'refused-error', payload, request })).toMatchObject({ ok: true });
    await track('/after');
    await expect(skopos.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });
    await skopos.flush();
    const paths = (await rowsOf(store, 'events', site.id)).map((row) => row.path);
    expect(paths.sort()).toEqual(['/', '/after', '/before']);
    expect(errors.join('\n')).toMatch(
      /refused a write of 1 JS error.*refused a record of js_errors: errorMessage/,
    );
    await narrow(store, 'js_errors', 'errorMessage', 20_000);
    await skopos.flushJsErrors();
    const rows = await rowsOf(store, 'js_errors', site.id);
    expect(rows.map((row) => [row.errorMessage, row.count])).toEqual([['TypeError: a long message', 1]]);
  });
});
