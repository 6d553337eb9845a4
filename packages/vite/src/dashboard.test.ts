import { silentLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { createDashboard } from './dashboard.ts';

async function servedConfig(pollInterval?: number): Promise<unknown> {
  const dashboard = createDashboard({
    route: '/_dashboard',
    pollInterval,
    endpoints: { readEndpoint: '/_tracker', pingEndpoint: '/_tracker/ping' },
    logger: silentLogger,
  });
  const response = await dashboard?.(new Request('http://127.0.0.1:5173/_dashboard/'));
  const html = (await response?.text()) ?? '';
  const json = /window\.__SKOPOS_DASHBOARD__=(.*?);<\/script>/.exec(html)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}

describe('createDashboard', () => {
  it("puts dashboard.pollInterval into the served page, which paces the page's refreshes", async () => {
    expect(await servedConfig(1500)).toEqual({
      readEndpoint: '/_tracker',
      pingEndpoint: '/_tracker/ping',
      pollInterval: 1500,
    });
  });

  it('leaves it out when not given: the page keeps its own pace', async () => {
    expect(await servedConfig()).toEqual({ readEndpoint: '/_tracker', pingEndpoint: '/_tracker/ping' });
  });
});
