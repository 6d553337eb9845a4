import { mkdir } from 'node:fs/promises';
import { launchChromium } from '@skopos/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, startCli, stopLeftovers } from './test-cli.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

const SCREENSHOT = new URL('../../../artifacts/demo-dashboard.png', import.meta.url);

beforeAll(assertBuilt);
afterEach(stopLeftovers);

interface StoredEvent {
  type: string;
  path: string;
  eventName: string;
}

/** Polls the read endpoint until `done` holds (the browser tracker sends its queue every second). */
async function readUntil(readUrl: string, done: (events: StoredEvent[]) => boolean): Promise<StoredEvent[]> {
  for (;;) {
    const { events } = (await (await fetch(readUrl)).json()) as { events: StoredEvent[] };
    if (done(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface DemoStats {
  pageviews: number;
  topPages: { key: string; count: number }[];
  jsErrors: { errorMessage: string }[];
}

async function statsUntil(statsUrl: string, done: (stats: DemoStats) => boolean): Promise<DemoStats> {
  for (;;) {
    const stats = (await (await fetch(statsUrl)).json()) as DemoStats;
    if (done(stats)) return stats;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const pageViews = (events: StoredEvent[]) => events.filter((event) => event.type === 'pageView');

describe('skopos demo --store memory', () => {
  it('serves the demo site and the dashboard, shows a posted event in the stats, and exits 0 on SIGTERM', async () => {
    const cli = startCli(['demo', '--store', 'memory', '--port', '0']);
    const page = await cli.waitFor(/^demo page: (\S+)$/);
    const dashboard = await cli.waitFor(/^dashboard: (\S+)$/);
    const password = await cli.waitFor(/sign in with the password: (\S+)$/);
    expect(dashboard).toBe(`${page}_tracker/dashboard?site=demo`);
    const html = await (await fetch(`${page}pricing`)).text();
    expect(html).toContain('<h2>Pricing</h2>');
    expect(html).toContain('data-skopos-event="signup"');
    expect(html).toContain('id="demo-error"');
    expect(html).toContain('href="/_tracker/dashboard?site=demo"');
    // The dashboard has a login, with the password the demo printed.
    const unsigned = await fetch(dashboard, { redirect: 'manual' });
    expect(unsigned.status).toBe(303);
    expect(unsigned.headers.get('location')).toContain('/_tracker/dashboard/login');
    const login = await fetch(new URL('/_tracker/dashboard/login', page), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page).origin },
      body: new URLSearchParams({ password }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const dashboardPage = await fetch(dashboard, { headers: { cookie } });
    expect(dashboardPage.status).toBe(200);
    const dashboardHtml = await dashboardPage.text();
    expect(dashboardHtml).toContain('__SKOPOS_DASHBOARD__');
    expect(dashboardHtml).not.toContain(password);
    const posted = await fetch(new URL('/_tracker/events', page), {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: batchOf(['/docs']),
    });
    expect(await posted.json()).toEqual({ accepted: 1, signals: 0, dropped: [], rejected: [] });
    // The memory store is written at once: what was posted is there on the next read, no polling.
    const stats = (await (await fetch(new URL('/_tracker/stats?site=demo', page))).json()) as DemoStats;
    expect(stats.pageviews).toBe(1);
    expect(stats.topPages).toEqual([{ key: '/docs', count: 1 }]);
    const error = await fetch(new URL('/_tracker/events', page), {
      method: 'POST',
      headers: BROWSER_HEADERS,
      body: JSON.stringify({
        events: [
          { type: 'jsError', url: 'https://example.com/docs', errorMessage: 'TypeError: x is undefined' },
        ],
      }),
    });
    expect((await error.json()) as unknown).toMatchObject({ accepted: 1 });
    const withError = (await (await fetch(new URL('/_tracker/stats?site=demo', page))).json()) as DemoStats;
    expect(withError.jsErrors.map((e) => e.errorMessage)).toEqual(['TypeError: x is undefined']);
    const script = await fetch(new URL('/skopos.js', page));
    expect(script.status).toBe(200);
    expect(html).toContain('<script defer src="/skopos.js"');
    expect(cli.stdout.join('\n')).toContain(`tracker:   ${page}skopos.js (@skopos/browser)`);
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
    expect(cli.stdout.join('\n')).toMatch(
      /flushed \d+ events on shutdown \(2 stored since start, 0 dropped as bots\)/,
    );
    expect(cli.stdout.join('\n')).not.toContain('PocketBase');
  });

  it('a dashboard password it was given is never printed, and signs in', async () => {
    const given = 'Given-PW-4c1e';
    for (const [args, env] of [
      [[], { SKOPOS_DASHBOARD_PASSWORD: given }],
      [['--dashboard-password', given], {}],
    ] as const) {
      const cli = startCli(['demo', '--store', 'memory', '--port', '0', ...args], env);
      const page = await cli.waitFor(/^demo page: (\S+)$/);
      const dashboard = await cli.waitFor(/^dashboard: (\S+)$/);
      expect(await cli.waitFor(/^ +(sign in with the password.*)$/)).toBe(
        'sign in with the password you gave (--dashboard-password or SKOPOS_DASHBOARD_PASSWORD)',
      );
      const login = await fetch(new URL('/_tracker/dashboard/login', page), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page).origin },
        body: new URLSearchParams({ password: given }).toString(),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect((await fetch(dashboard, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
      cli.proc.kill('SIGTERM');
      expect(await cli.closed).toBe(0);
      expect([...cli.stdout, ...cli.stderr].join('\n')).not.toContain(given);
    }
  });

  it('in Chromium: two link clicks and a tagged button show up on the dashboard', async () => {
    const cli = startCli(['demo', '--store', 'memory', '--port', '0']);
    const home = await cli.waitFor(/^demo page: (\S+)$/);
    const dashboard = await cli.waitFor(/^dashboard: (\S+)$/);
    const password = await cli.waitFor(/sign in with the password: (\S+)$/);
    const script = await fetch(new URL('/skopos.js', home));
    expect(script.status, '/skopos.js is not served: build @skopos/browser (turbo run build)').toBe(200);
    const browser = await launchChromium();
    try {
      const tab = await browser.context.newPage();
      await tab.goto(home);
      await tab.click('nav a[href="/pricing"]');
      await tab.waitForURL('**/pricing');
      await tab.click('nav a[href="/docs"]');
      await tab.waitForURL('**/docs');
      await tab.click('button[data-skopos-plan="pro"]');
      await tab.click('#demo-error');
      const events = await readUntil(
        new URL('/_tracker?site=demo', home).href,
        (stored) => pageViews(stored).length >= 3 && stored.some((event) => event.eventName === 'signup'),
      );
      const views = pageViews(events);
      // The error's event and its merged count are written separately: wait for the count too.
      await statsUntil(new URL('/_tracker/stats?site=demo', home).href, (stats) => stats.jsErrors.length > 0);
      expect(views.map((event) => event.path).sort()).toEqual(['/', '/docs', '/pricing']);
      await tab.goto(dashboard);
      // The login step the demo printed: the browser is sent to the login, then back.
      await tab.waitForURL('**/_tracker/dashboard/login**');
      await tab.fill('#password', password);
      await Promise.all([tab.waitForURL('**/_tracker/dashboard/?**'), tab.click('button[type="submit"]')]);
      await tab.waitForSelector('body[data-loaded]');
      expect(await tab.textContent('[data-kpi="pageviews"] .kpi-value')).toBe(String(views.length));
      expect(await tab.textContent('#errors [data-error] td')).toBe(
        'Demo error: the checkout button is broken',
      );
      await mkdir(new URL('.', SCREENSHOT), { recursive: true });
      await tab.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    } finally {
      await browser.close();
    }
    cli.proc.kill('SIGTERM');
    expect(await cli.closed).toBe(0);
  }, 60_000);
});
