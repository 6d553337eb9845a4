import { createSkopos, silentLogger } from '@skopos/core';
import { expect, it } from 'vitest';
import { dropStore, freshStore, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();

const request = {
  remoteAddress: '203.0.113.9',
  headers: {
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    accept: '*/*',
    'accept-language': 'en-US,en;q=0.9',
    'accept-encoding': 'gzip, deflate, br',
    origin: 'https://shop.example',
    referer: 'https://shop.example/cart',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'same-origin',
  },
};

const jsError = (message: string) => ({
  type: 'jsError',
  url: 'https://shop.example/cart',
  errorMessage: message,
  stackTrace: `Error: ${message}\n    at checkout (https://shop.example/app.js:1:1)`,
});

it('a JS-error insert ClickHouse applied but whose answer was lost counts once (the pipeline retries it unchanged)', async () => {
  let loseAnswer = true;
  // ClickHouse applies the insert, then the connection drops before its answer (like a timeout).
  const lossyFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const query = new URL(String(input)).searchParams.get('query') ?? '';
    if (loseAnswer && query.startsWith('INSERT INTO') && query.includes('js_errors')) {
      loseAnswer = false;
      await response.text();
      throw new TypeError('fetch failed: the connection was reset');
    }
    return response;
  };
  const store = await freshStore(server, { fetch: lossyFetch });
  const site = await store.addWebsite({ trackingId: 'shop', domain: 'shop.example' });
  const skopos = createSkopos({ store, logger: silentLogger, batch: false, jsErrorBatchInterval: 60_000 });
  try {
    for (const message of ['cart is null', 'cart is null', 'price is NaN']) {
      expect(await skopos.track({ siteId: 'shop', payload: jsError(message), request })).toMatchObject({
        ok: true,
      });
    }
    await expect(skopos.flushJsErrors(), 'the answer was lost').rejects.toThrow();
    // An error seen while the first write is being retried.
    expect(await skopos.track({ siteId: 'shop', payload: jsError('cart is null'), request })).toMatchObject({
      ok: true,
    });
    await skopos.flushJsErrors();
    const counts = (await store.readJsErrors(site.id)).map((row) => [row.errorMessage, row.count]).sort();
    expect(counts).toEqual([
      ['cart is null', 3],
      ['price is NaN', 1],
    ]);
  } finally {
    await skopos.shutdown();
    await dropStore(server, store);
  }
});
