// Issue #10's acceptance test, server modes: a real Vite dev server with vite-plugin-monitor's full
// option set (every option off its default), the app's scenario in headless Chromium, and what
// the mode's read endpoint answers — each tracker's payload and level, the API's effects, and
// nothing of what the options say to ignore. http and websocket: e2e-options-remote.test.ts.
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDelivered } from './e2e-options-expect.ts';
import { type ModeServer, readEndpoint, runScenario, startMode, VIEWPORT } from './e2e-options-support.ts';
import { readInjectedConfig } from './test-support.ts';

const API_KEY = 'dev-key';
// A browser on a busy shared machine can take a while; a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

let chromium: Chromium;
const servers: ModeServer[] = [];

beforeAll(async () => {
  chromium = await launchChromium({ viewport: VIEWPORT });
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all(servers.map((server) => server.close()));
});

describe('the full option set in Chromium, server modes', () => {
  it(
    'middleware (autoInit: false, track.level debug): every tracker and API call arrives at /_tracker as the peer sends it',
    async () => {
      const vite = await startMode({
        storage: { mode: 'middleware', apiKey: API_KEY },
        level: 'debug',
        autoInit: false,
      });
      servers.push(vite);
      const run = await runScenario(chromium, vite.url);
      await expectDelivered(readEndpoint(`${vite.url}/_tracker`), 'debug', run, vite.url);
      await run.page.close();
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'standalone on port 0 (track.level debug): the same events at the standalone server the page was pointed to',
    async () => {
      const vite = await startMode({
        storage: { mode: 'standalone', port: 0, apiKey: API_KEY },
        level: 'debug',
        autoInit: true,
      });
      servers.push(vite);
      const config = readInjectedConfig(await (await fetch(`${vite.url}/`)).text());
      expect(config.readEndpoint).toMatch(/^http:\/\/localhost:\d+\/_tracker$/);
      expect(config.readEndpoint).not.toBe('http://localhost:0/_tracker');
      const run = await runScenario(chromium, vite.url);
      await expectDelivered(readEndpoint(String(config.readEndpoint)), 'debug', run, vite.url);
      await run.page.close();
    },
    E2E_TIMEOUT_MS,
  );
});
