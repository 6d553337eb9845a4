import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatch, makeEvent, makeSession, makeVisitor, makeWebsite } from '@skopos/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { observedStore, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The route of an older pb_hooks/skopos.pb.js (Skopos 0.1 answered protocol 1): a user who upgraded
// the package but did not copy the hook file again.
// Its look-up route stands for a copy of another version too (0.1 had none): answers that must not be used.
const OLD_HOOK = `routerAdd('POST', '/api/skopos/write', (e) => e.json(200, { ok: true, protocol: 1, counts: {} }), $apis.requireSuperuserAuth());
routerAdd('POST', '/api/skopos/lookup', (e) => e.json(200, { protocol: 1, visitors: [], sessions: [] }), $apis.requireSuperuserAuth());\n`;
const dir = mkdtempSync(join(tmpdir(), 'skopos-old-hook-'));
writeFileSync(join(dir, 'skopos.pb.js'), OLD_HOOK);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pocketbase = usePocketBase(undefined, { hooksDir: () => dir });

describe('pocketbaseStore: a hook of another version', () => {
  it("is not used: 'auto' writes through the batch API and says why, 'hook' refuses", async () => {
    const { store, requests, infos } = observedStore(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const event = makeEvent(session, { level: 'warn', userId: 'u1', payload: { a: 1 } });
    requests.length = 0;
    await store.write(makeBatch({ visitors: [visitor], sessions: [session], events: [event] }));
    expect(requests).toEqual(['POST /api/skopos/write', 'POST /api/batch']);
    expect(infos.join('\n')).toMatch(
      /hook route at .* is of another version \(this store needs protocol 2\)/,
    );
    expect((await store.query({ website: site.id })).events).toEqual([event]);

    const strict = storeFor(pocketbase(), { writePath: 'hook' });
    await expect(strict.write(makeBatch({ events: [event] }))).rejects.toThrow(
      /writePath 'hook' needs the Skopos hook route \/api\/skopos\/write of protocol 2 .*copy pb_hooks\/skopos\.pb\.js/,
    );
    await Promise.all([store.close(), strict.close()]);
  });

  it('is not asked for look-ups either: the list API answers them', async () => {
    const { store, requests, infos } = observedStore(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor, { startedAt: Date.now() - 2_000, lastActivityAt: Date.now() });
    await store.write(makeBatch({ visitors: [visitor], sessions: [session] }));
    requests.length = 0;
    const [found, open] = await Promise.all([
      store.getVisitor(site.id, visitor.visitorId),
      store.findSession(site.id, visitor.id, Date.now() - 60_000),
    ]);
    expect([found, open]).toEqual([visitor, session]);
    expect(requests).toEqual([
      'POST /api/skopos/lookup',
      'GET /api/collections/visitors/records',
      'GET /api/collections/sessions/records',
    ]);
    expect(infos.join('\n')).toMatch(/look-up route at .* \(\/api\/skopos\/lookup of another version\)/);
    await store.close();
  });
});
