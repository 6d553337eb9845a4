// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, describe, expect, it } from 'vitest';
import { readPageConfig } from './page-config.ts';

const scriptTag = (attributes: Record<string, string>): HTMLScriptElement => {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
};

afterEach(() => {
  delete window.__TRACKER_CONFIG__;
});

describe('page configuration', () => {
  it("reads window.__TRACKER_CONFIG__ in vite-plugin-monitor's flat shape", () => {
    window.__TRACKER_CONFIG__ = {
      appId: 'my-app',
      writeEndpoint: 'https://api.example.com/ingest',
      wsEndpoint: '',
      apiKey: 'k',
      batchSize: 50,
      flushInterval: 5000,
    };
    expect(readPageConfig(null)).toMatchObject({
      site: 'my-app',
      writeEndpoint: 'https://api.example.com/ingest',
      apiKey: 'k',
      batchSize: 50,
      flushInterval: 5000,
    });
  });

  it('reads the nested storage shape @skopos/vite 0.1 injected', () => {
    window.__TRACKER_CONFIG__ = {
      appId: 'my-app',
      storage: {
        writeEndpoint: 'https://api.example.com/ingest',
        apiKey: 'k',
        batchSize: 50,
        flushInterval: 5000,
      },
    };
    expect(readPageConfig(null)).toMatchObject({
      site: 'my-app',
      writeEndpoint: 'https://api.example.com/ingest',
      apiKey: 'k',
      batchSize: 50,
      flushInterval: 5000,
    });
  });

  it('lets the script tag data-* attributes override it', () => {
    window.__TRACKER_CONFIG__ = { appId: 'my-app', storage: { apiKey: 'k' } };
    const script = scriptTag({
      'data-site': 'other',
      'data-write-endpoint': '/e',
      'data-api-key': 'k2',
      'data-batch-size': '10',
      'data-hash-mode': 'true',
      'data-allow-localhost': 'true',
      'data-respect-dnt': 'false',
    });
    expect(readPageConfig(script)).toMatchObject({
      site: 'other',
      writeEndpoint: '/e',
      apiKey: 'k2',
      batchSize: '10',
      hashMode: 'true',
      allowLocalhost: 'true',
      respectDnt: 'false',
    });
  });
});
