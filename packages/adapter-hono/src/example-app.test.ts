import { fileURLToPath } from 'node:url';
import { BROWSER_HEADERS, type RunningExample, startExample } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../../../examples/hono/index.mjs', import.meta.url));

let example: RunningExample | undefined;
afterEach(() => example?.kill());

describe('examples/hono', () => {
  it('takes an event on /api/event and a batch on /_tracker/events, then stops on SIGTERM', async () => {
    example = await startExample(EXAMPLE);
    const origin = example.origin;
    const post = (path: string, body: unknown) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/event', { type: 'pageView', url: 'https://example.com/' })).status).toBe(204);
    const batch = await post('/_tracker/events', {
      events: [{ type: 'pageView', url: 'https://example.com/a' }],
    });
    expect(await batch.json()).toMatchObject({ accepted: 1 });
    expect(await example.stop()).toBe(0);
  });
});
