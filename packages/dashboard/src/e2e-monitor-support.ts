// Browser helpers of the monitor e2e: sign-in, the page's number formats, the screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from '@skopos/core';
import type { Page, Response } from 'playwright-core';

export const text = async (page: Page, selector: string): Promise<string> =>
  (await page.locator(selector).textContent()) ?? '';

/** The page's number formats (the browser's locale), to compare with the figures counted here. */
export const formats = (page: Page, values: { rates: number[]; ms: number[] }) =>
  page.evaluate(({ rates, ms }) => {
    const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
    const unit = (u: string, digits: number) =>
      new Intl.NumberFormat(undefined, { style: 'unit', unit: u, maximumFractionDigits: digits });
    const duration = (v: number) =>
      v >= 1000 ? unit('second', 2).format(v / 1000) : unit('millisecond', v < 10 ? 1 : 0).format(v);
    return { rates: rates.map((r) => percent.format(r)), ms: ms.map(duration) };
  }, values);

/** Signs in on the login page and answers the first stats read the dashboard makes. */
export async function signIn(page: Page, url: string, password: string): Promise<Stats> {
  await page.goto(`${url}/_tracker/dashboard/`);
  await page.fill('#password', password);
  const [stats] = await Promise.all([
    page.waitForResponse((r: Response) => new URL(r.url()).pathname === '/_tracker/stats' && r.ok()),
    page.click('button[type="submit"]'),
  ]);
  await page.waitForSelector('body[data-loaded]');
  return (await stats.json()) as Stats;
}

/**
 * Full-page screenshots `dashboard-monitor-{light,dark,390-light,390-dark}.png` in `dir`; answers the
 * page's scroll width at each phone shot (more than 390 would mean a sideways scroll).
 */
export async function shootThemes(page: Page, dir: string): Promise<number[]> {
  mkdirSync(dir, { recursive: true });
  await page.mouse.move(0, 0);
  const phoneWidths: number[] = [];
  for (const [width, theme] of [
    [1280, 'light'],
    [1280, 'dark'],
    [390, 'light'],
    [390, 'dark'],
  ] as const) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    // The toggle flips the theme shown; without a stored choice that is the system's.
    for (let i = 0; i < 2; i++) {
      const shown = await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
      if (shown === theme) break;
      await page.click('#theme');
    }
    await page.waitForFunction((t) => getComputedStyle(document.documentElement).colorScheme === t, theme);
    const name = width < 500 ? `390-${theme}` : theme;
    await page.screenshot({ path: join(dir, `dashboard-monitor-${name}.png`), fullPage: true });
    if (width < 500) phoneWidths.push(await page.evaluate(() => document.documentElement.scrollWidth));
  }
  await page.evaluate(() => localStorage.removeItem('skopos-dashboard-theme'));
  return phoneWidths;
}
