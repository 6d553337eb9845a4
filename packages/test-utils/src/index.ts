export { BROWSER_HEADERS, CHROME_UA } from './browser-headers.ts';
export type { Chromium, LaunchOptions } from './chromium.ts';
export { launchChromium } from './chromium.ts';
