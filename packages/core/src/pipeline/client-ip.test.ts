import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos, TrackResult } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function pipeline(trustProxy?: Parameters<typeof createSkopos>[0]['trustProxy']) {
  const store = recordingStore([website('site', { ipBlacklist: ['198.51.100.0/24'], storeRawIp: true })]);
  const skopos = createSkopos({
    store,
    logger: silentLogger,
    batch: false,
    ...(trustProxy === undefined ? {} : { trustProxy }),
  });
  open.push(skopos);
  return { store, skopos };
}

const visitorOf = (r: TrackResult) => (r.ok ? r.visitorId : `dropped:${r.reason}`);

describe('client IP and X-Forwarded-For', () => {
  it('by default a spoofed X-Forwarded-For changes neither the visitor nor the stored IP', async () => {
    const { skopos, store } = pipeline();
    const plain = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.5'),
    });
    const spoofed = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.5', { 'x-forwarded-for': '192.0.2.99' }),
    });
    expect(visitorOf(spoofed)).toBe(visitorOf(plain));
    await skopos.flush();
    expect([...store.sessions.values()].map((s) => s.ipAddress)).toEqual(['203.0.113.5']);
  });

  it('a spoofed X-Forwarded-For does not bypass the blacklist', async () => {
    const { skopos } = pipeline();
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('198.51.100.20', { 'x-forwarded-for': '192.0.2.1' }),
    });
    expect(result).toMatchObject({ ok: false, reason: 'ip_blacklisted' });
  });

  it('behind a trusted proxy the forwarded client decides the visitor and the blacklist', async () => {
    const { skopos, store } = pipeline('loopback');
    const a = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('127.0.0.1', { 'x-forwarded-for': '203.0.113.1' }),
    });
    const b = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('127.0.0.1', { 'x-forwarded-for': '203.0.113.2' }),
    });
    expect(visitorOf(a)).not.toBe(visitorOf(b));
    const blocked = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('::ffff:127.0.0.1', { 'x-forwarded-for': '198.51.100.3' }),
    });
    expect(blocked).toMatchObject({ ok: false, reason: 'ip_blacklisted' });
    await skopos.flush();
    expect(new Set([...store.sessions.values()].map((s) => s.ipAddress))).toEqual(
      new Set(['203.0.113.1', '203.0.113.2']),
    );
  });

  it('a trusted proxy does not make the next, untrusted hop trusted', async () => {
    const { skopos, store } = pipeline('loopback');
    // The client (203.0.113.77) sent a forged XFF entry; only the loopback proxy is trusted.
    await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('127.0.0.1', { 'x-forwarded-for': '192.0.2.200, 203.0.113.77' }),
    });
    await skopos.flush();
    expect([...store.sessions.values()][0]?.ipAddress).toBe('203.0.113.77');
  });

  it('two pipelines and requests taking turns each get their own client IP (the last one is remembered)', async () => {
    const direct = pipeline();
    const proxied = pipeline('loopback');
    const ipOf = async (skopos: Skopos, request: ReturnType<typeof browserRequest>) => {
      const result = await skopos.track({ siteId: 'site', payload: pageView(), request });
      return result.ok ? result.visitorId : result.reason;
    };
    const viaProxy = (forwardedFor: string, forwarded?: string) =>
      browserRequest('127.0.0.1', {
        'x-forwarded-for': forwardedFor,
        ...(forwarded === undefined ? {} : { forwarded }),
      });
    const seen = [
      await ipOf(proxied.skopos, viaProxy('203.0.113.1')),
      // The same inputs, another pipeline whose trust differs: the socket address, not the header.
      await ipOf(direct.skopos, viaProxy('203.0.113.1')),
      await ipOf(proxied.skopos, viaProxy('203.0.113.2')),
      // A blank X-Forwarded-For gives way to Forwarded: two of them are two clients.
      await ipOf(proxied.skopos, viaProxy(' ', 'for=203.0.113.3')),
      await ipOf(proxied.skopos, viaProxy(' ', 'for=203.0.113.4')),
      await ipOf(proxied.skopos, viaProxy('203.0.113.1')),
    ];
    await Promise.all([direct.skopos.flush(), proxied.skopos.flush()]);
    const ips = (store: typeof direct.store) => [...store.sessions.values()].map((row) => row.ipAddress);
    expect(ips(proxied.store)).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']);
    expect(ips(direct.store)).toEqual(['127.0.0.1']);
    expect(seen[5], 'the first client again: its session').toBe(seen[0]);
  });

  it('says once that a proxy on this machine is not trusted, with the setting to change', async () => {
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_level, message) => warnings.push(message) });
    const behindProxy = (forwardedFor: string) =>
      browserRequest('127.0.0.1', { 'x-forwarded-for': forwardedFor });
    for (const trustProxy of [undefined, 'loopback'] as const) {
      const skopos = createSkopos({
        store: recordingStore([website('site')]),
        logger,
        batch: false,
        ...(trustProxy === undefined ? {} : { trustProxy }),
      });
      open.push(skopos);
      // A trusted proxy forwarding a client on its own machine is no setup mistake.
      const forwarded =
        trustProxy === undefined ? ['203.0.113.1', '203.0.113.2'] : ['127.0.0.1', '203.0.113.1'];
      for (const ip of forwarded) {
        await skopos.track({ siteId: 'site', payload: pageView(), request: behindProxy(ip) });
      }
      // Direct visitors of this machine send no forwarding header: nothing to say about them.
      await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('127.0.0.1') });
    }
    expect(warnings.filter((line) => line.includes('the proxy is not trusted'))).toEqual([
      expect.stringContaining("set trustProxy: 'loopback'"),
    ]);
  });
});
