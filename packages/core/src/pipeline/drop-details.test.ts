import { afterEach, describe, expect, it, vi } from 'vitest';
import { UA } from '../detect/ua-fixtures.ts';
import { createLogger, type LogLevel, silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { BOT_TEST_HINT } from './drops.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, CHROME_UA, pageView } from './test-support/requests.ts';
import type { RequestContext, Skopos, SkoposDrop, SkoposOptions, TrackResult } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function pipeline(extra: Partial<SkoposOptions> = {}, sites = [website('site')]) {
  const store = recordingStore(sites);
  const skopos = createSkopos({ store, logger: silentLogger, batch: false, ...extra });
  open.push(skopos);
  return { store, skopos };
}

/** A pipeline whose log lines (info and up) are kept. */
function logged(extra: Partial<SkoposOptions> = {}, sites = [website('site')]) {
  const lines: { level: LogLevel; message: string }[] = [];
  const logger = createLogger({ level: 'info', sink: (level, message) => lines.push({ level, message }) });
  return { ...pipeline({ logger, ...extra }, sites), lines };
}

const req = (headers: Record<string, string>, remoteAddress = '203.0.113.9'): RequestContext => ({
  remoteAddress,
  headers,
});

function detailOf(result: TrackResult): string | undefined {
  expect(result.ok).toBe(false);
  return result.ok ? undefined : result.detail;
}

describe('every drop names its check in `detail`', () => {
  it.each([
    ['curl/8.x', req({ 'user-agent': 'curl/8.5.0', accept: '*/*' }), 'bot: user-agent'],
    ['curl/8.x without headers', req({ 'user-agent': 'curl/8.11.1' }), 'bot: user-agent'],
    ['python-requests', req({ 'user-agent': UA.pythonRequests, accept: '*/*' }), 'bot: user-agent'],
    ['Googlebot', browserRequest('66.249.66.1', { 'user-agent': UA.googlebot }), 'bot: user-agent'],
    ['no user agent', req({ accept: '*/*', 'accept-language': 'en' }), 'bot: user-agent'],
    [
      'HeadlessChrome',
      browserRequest('203.0.113.9', { 'user-agent': UA.headlessChrome }),
      'bot: headless browser',
    ],
    [
      'a Chrome UA without accept-language (curl with -A)',
      req({ 'user-agent': CHROME_UA, accept: '*/*' }),
      'bot: missing accept-language, no fetch metadata',
    ],
    [
      'a Chrome UA with nothing else',
      req({ 'user-agent': CHROME_UA }),
      'bot: missing accept, missing accept-language, no fetch metadata',
    ],
    [
      "Node's fetch with a browser UA",
      req({ 'user-agent': UA.firefoxLinux, accept: '*/*', 'accept-language': '*', 'sec-fetch-mode': 'cors' }),
      'bot: wildcard accept-language',
    ],
    [
      'a short user agent',
      req({ 'user-agent': 'Opera/9.80 (Win)', accept: '*/*' }),
      'bot: short user-agent, missing accept-language',
    ],
    ['a prefetch', browserRequest('203.0.113.9', { 'sec-purpose': 'prefetch' }), 'bot: prefetch'],
  ])('bot: %s', async (_name, request, detail) => {
    const { skopos } = pipeline();
    const result = await skopos.track({ siteId: 'site', payload: pageView(), request });
    expect(result).toMatchObject({ ok: false, reason: 'bot', status: 202, detail });
    expect(skopos.counters().dropped.bot).toBe(1);
  });

  it('a real browser beacon is not dropped', async () => {
    const { skopos } = pipeline();
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
    });
    expect(result.ok).toBe(true);
  });

  it('ip_blacklisted: "blacklisted ip" (the address is not repeated)', async () => {
    const { skopos } = pipeline({}, [website('site', { ipBlacklist: ['10.0.0.0/8'] })]);
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('10.1.2.3'),
    });
    expect(result).toMatchObject({ reason: 'ip_blacklisted', detail: 'blacklisted ip' });
  });

  it('invalid: names the fields validation reported', async () => {
    const { skopos } = pipeline();
    const request = browserRequest('203.0.113.1');
    const url = await skopos.track({ siteId: 'site', payload: pageView('ftp://example.com/'), request });
    expect(url).toMatchObject({ reason: 'invalid', status: 400, detail: 'invalid: url' });
    expect(!url.ok && url.issues?.[0]?.field).toBe('url');
    const noType = await skopos.track({ siteId: 'site', payload: { url: 'https://example.com/' }, request });
    expect(detailOf(noType)).toMatch(/^invalid: type/);
    const server = await skopos.trackServer({ siteId: 'site', eventName: '' });
    expect(server).toMatchObject({ reason: 'invalid', detail: 'invalid: eventName' });
  });

  it('domain_mismatch: names the page host and the site domain', async () => {
    const { skopos } = pipeline();
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView('https://evil.io/x'),
      request: browserRequest('203.0.113.1'),
    });
    expect(result).toMatchObject({
      reason: 'domain_mismatch',
      status: 403,
      detail: 'domain mismatch: page host evil.io is not example.com or one of its subdomains',
    });
  });

  it('localhost: says which option drops it, for a loopback peer and a local page', async () => {
    const { skopos } = pipeline({}, [website('strict', { domain: '', disableLocalhostTracking: true })]);
    const peer = await skopos.track({
      siteId: 'strict',
      payload: pageView(),
      request: browserRequest('127.0.0.1'),
    });
    expect(detailOf(peer)).toBe(
      'localhost: request from a loopback address, and the site has disableLocalhostTracking on',
    );
    const page = await skopos.track({
      siteId: 'strict',
      payload: pageView('http://localhost:5173/'),
      request: browserRequest('203.0.113.1'),
    });
    expect(detailOf(page)).toBe(
      'localhost: page on a local hostname, and the site has disableLocalhostTracking on',
    );
  });

  it('unknown site, archived site and shutdown have a detail too; a huge site id is cut', async () => {
    const { skopos } = pipeline({}, [website('site'), website('old', { isArchived: true })]);
    const request = browserRequest('203.0.113.1');
    const huge = 'x'.repeat(5000);
    const unknown = await skopos.track({ siteId: huge, payload: pageView(), request });
    expect(detailOf(unknown)).toBe(`unknown site: ${'x'.repeat(64)}…`);
    expect(await skopos.track({ siteId: 'old', payload: pageView(), request })).toMatchObject({
      reason: 'archived',
      detail: 'archived site: old',
    });
    await skopos.shutdown();
    expect(await skopos.track({ siteId: 'site', payload: pageView(), request })).toMatchObject({
      reason: 'shut_down',
      detail: 'shutting down',
    });
  });

  it('keeps the explanation cheap: a bot verdict shares its detail string', async () => {
    const { skopos } = pipeline();
    const request = req({ 'user-agent': 'curl/8.5.0', accept: '*/*' });
    const a = await skopos.track({ siteId: 'site', payload: pageView(), request });
    const b = await skopos.track({ siteId: 'site', payload: pageView(), request });
    expect(detailOf(a)).toBe(detailOf(b));
  });
});

describe('the once-per-kind log line', () => {
  it('is written once for 3 drops of the same kind, with the user agent and a hint to test with curl', async () => {
    const { skopos, lines } = logged();
    const curl = req({ 'user-agent': 'curl/8.5.0', accept: '*/*' });
    for (let i = 0; i < 3; i++) await skopos.track({ siteId: 'site', payload: pageView(), request: curl });
    const drops = lines.filter((line) => line.message.includes('dropped an event'));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toEqual({
      level: 'info',
      message: `[skopos] dropped an event: bot: user-agent (curl/8.5.0) — further drops for this reason are counted, not logged; see counters(). ${BOT_TEST_HINT}`,
    });
    expect(drops[0]?.message).toContain("-H 'Accept-Language: en'");
    expect(drops[0]?.message).toContain('headless browser');
    expect(skopos.counters().dropped.bot).toBe(3);
  });

  it('logs each kind once: another bot signal and another reason get their own line', async () => {
    const { skopos, lines } = logged({}, [website('site', { ipBlacklist: ['198.51.100.7'] })]);
    const track = (request: RequestContext, url?: string) =>
      skopos.track({ siteId: 'site', payload: pageView(url), request });
    await track(req({ 'user-agent': 'curl/8.5.0' }));
    await track(browserRequest('203.0.113.9', { 'user-agent': UA.headlessChrome }));
    await track(browserRequest('203.0.113.9', { 'user-agent': UA.headlessChrome }));
    await track(browserRequest('198.51.100.7'));
    await track(browserRequest('198.51.100.7'));
    await track(browserRequest('203.0.113.9'), 'https://evil.io/');
    await track(browserRequest('203.0.113.9'), 'https://other.io/');
    const drops = lines.filter((line) => line.message.includes('dropped an event')).map((l) => l.message);
    expect(drops).toHaveLength(4);
    expect(drops[1]).toContain('dropped an event: bot: headless browser (Mozilla/5.0 (X11; Linux x86_64)');
    expect(drops[2]).toContain('dropped an event: blacklisted ip — further drops for this reason');
    expect(drops[2]).not.toContain('curl');
    expect(drops[3]).toContain('evil.io');
  });

  it('stays quiet below info level (the per-drop line is debug)', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_l, m) => lines.push(m) });
    const { skopos } = pipeline({ logger });
    await skopos.track({ siteId: 'site', payload: pageView(), request: req({ 'user-agent': 'curl/8.5.0' }) });
    expect(lines).toEqual([]);
  });
});

describe('the onDrop option', () => {
  it('is called once per drop with reason, detail, site and event type', async () => {
    const onDrop = vi.fn<(drop: SkoposDrop) => void>();
    const { skopos } = pipeline({ onDrop }, [website('site', { ipBlacklist: ['198.51.100.7'] })]);
    const curl = req({ 'user-agent': 'curl/8.5.0', accept: '*/*' });
    for (let i = 0; i < 3; i++) await skopos.track({ siteId: 'site', payload: pageView(), request: curl });
    await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('198.51.100.7') });
    await skopos.track({
      siteId: 'site',
      payload: { type: 'pageView' },
      request: browserRequest('203.0.113.1'),
    });
    await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('203.0.113.1') });
    expect(onDrop).toHaveBeenCalledTimes(5);
    expect(onDrop.mock.calls[0]?.[0]).toEqual({
      reason: 'bot',
      detail: 'bot: user-agent',
      site: 'site',
      eventType: 'pageView',
    });
    expect(onDrop.mock.calls[3]?.[0]).toEqual({
      reason: 'ip_blacklisted',
      detail: 'blacklisted ip',
      site: 'site',
      eventType: 'pageView',
    });
    expect(onDrop.mock.calls[4]?.[0]).toEqual({
      reason: 'invalid',
      detail: 'invalid: url',
      site: 'site',
      eventType: 'pageView',
    });
  });

  it('is called for server calls too (identify carries no event type)', async () => {
    const onDrop = vi.fn<(drop: SkoposDrop) => void>();
    const { skopos } = pipeline({ onDrop });
    await skopos.identify({ siteId: 'nope', request: browserRequest('203.0.113.1'), userId: 'u1' });
    await skopos.trackServer({ siteId: 'nope', eventName: 'signup' });
    expect(onDrop.mock.calls.map(([drop]) => drop)).toEqual([
      { reason: 'unknown_site', detail: 'unknown site: nope', site: 'nope' },
      { reason: 'unknown_site', detail: 'unknown site: nope', site: 'nope', eventType: 'custom' },
    ]);
  });

  it('a throwing onDrop does not break tracking and is logged once', async () => {
    const lines: { level: LogLevel; message: string }[] = [];
    const logger = createLogger({ level: 'info', sink: (level, message) => lines.push({ level, message }) });
    const onDrop = vi.fn(() => {
      throw new Error('metrics down');
    });
    const { skopos } = pipeline({ logger, onDrop });
    const curl = req({ 'user-agent': 'curl/8.5.0' });
    for (let i = 0; i < 3; i++) {
      expect(await skopos.track({ siteId: 'site', payload: pageView(), request: curl })).toMatchObject({
        ok: false,
        reason: 'bot',
        detail: 'bot: user-agent',
      });
    }
    expect(
      await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('203.0.113.1') }),
    ).toMatchObject({
      ok: true,
    });
    expect(onDrop).toHaveBeenCalledTimes(3);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('the onDrop option threw: Error: metrics down');
    expect(skopos.counters().dropped.bot).toBe(3);
  });

  it('a rejecting async onDrop is caught and logged once', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_level, message) => lines.push(message) });
    const { skopos } = pipeline({ logger, onDrop: async () => Promise.reject(new Error('nope')) });
    await skopos.track({ siteId: 'site', payload: pageView(), request: req({ 'user-agent': 'curl/8.5.0' }) });
    await skopos.track({ siteId: 'site', payload: pageView(), request: req({ 'user-agent': 'curl/8.5.0' }) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the onDrop option threw: Error: nope');
  });
});
