import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ siteId: SITE.trackingId });
});

afterAll(async () => {
  await server.close();
});

const contentType = fc.constantFrom(
  'application/json',
  'text/plain;charset=UTF-8',
  'text/plain',
  'application/ld+json',
);

/** Event-shaped objects whose fields take any JSON value, so that they reach per-field validation. */
const eventLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('pageView', 'custom', 'jsError'), fc.jsonValue()),
    url: fc.oneof(fc.webUrl(), fc.constant('https://example.com/x'), fc.jsonValue()),
    name: fc.jsonValue(),
    referrer: fc.jsonValue(),
    screenWidth: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
    language: fc.jsonValue(),
    customData: fc.jsonValue(),
    errorMessage: fc.jsonValue(),
    stackTrace: fc.jsonValue(),
    siteId: fc.oneof(fc.constant(SITE.trackingId), fc.jsonValue()),
    eventId: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

async function expectNo5xx(body: string | Uint8Array, type: string): Promise<void> {
  const response = await server.post(body, { raw: true, headers: { 'content-type': type } });
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type')).toContain('application/json');
  await response.arrayBuffer();
}

describe('write endpoint fuzz: never a 5xx, never a crash', () => {
  it('any JSON value as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), contentType, (value, type) =>
        expectNo5xx(JSON.stringify(value) ?? 'null', type),
      ),
      { numRuns: 150 },
    );
  });

  it('batches of event-shaped objects with any field values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(eventLike, fc.jsonValue()), { maxLength: 8 }),
        contentType,
        (events, type) => expectNo5xx(JSON.stringify({ events }), type),
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), contentType, (bytes, type) =>
        expectNo5xx(bytes, type),
      ),
      { numRuns: 150 },
    );
  });

  it('deep nesting and hostile keys', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    await expectNo5xx(deep, 'application/json');
    const deepData = `{"events":[{"type":"custom","name":"n","url":"https://example.com/","customData":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}`;
    await expectNo5xx(deepData, 'application/json');
    await expectNo5xx(
      '{"__proto__":{"polluted":true},"type":"pageView","url":"https://example.com/"}',
      'application/json',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving real traffic afterwards.
    expect((await server.post({ events: [pageView('/after-fuzz')] })).status).toBe(200);
  });
});
