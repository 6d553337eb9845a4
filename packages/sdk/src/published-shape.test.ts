import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// These run the built package (dist/, made by `turbo run build`) the way users load it: by name,
// from a separate Node process, once with require() and once with import.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The seed's CommonJS snippet, with a memory store and a self-request instead of app.listen(3000). */
const COMMONJS_SNIPPET = `
const express = require('express');
const SkoposSDK = require('@skopos/sdk');
const { memoryStore } = require('@skopos/memory-store');

(async () => {
  const app = express();
  app.use(express.json());
  const store = memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });
  const skopos = await SkoposSDK.init({ siteId: 'site-1', store, debug: true });
  app.post('/api/event', (req, res) => {
    skopos.trackApiEvent(req, req.body);
    res.sendStatus(204);
  });
  const server = app.listen(0, '127.0.0.1', async () => {
    const response = await fetch('http://127.0.0.1:' + server.address().port + '/api/event', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', accept: '*/*', 'accept-language': 'en' },
      body: JSON.stringify({ type: 'pageView', url: 'https://example.com/docs' }),
    });
    await skopos.shutdown();
    server.close();
    const stored = store.query({ website: store.getWebsite('site-1').id }).events.map((e) => e.path);
    console.log('RESULT ' + JSON.stringify({ kind: typeof SkoposSDK, status: response.status, stored }));
  });
})();
`;

const ESM_IMPORT = `
import SkoposSDK from '@skopos/sdk';
import { memoryStore } from '@skopos/memory-store';
const store = memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });
const skopos = await SkoposSDK.init({ siteId: 'site-1', store });
const result = await skopos.trackServerEvent(null, 'esm_loaded');
await skopos.shutdown();
console.log('RESULT ' + JSON.stringify({ kind: typeof SkoposSDK, ok: result.ok, stored: skopos.counters().stored }));
await SkoposSDK.init({ siteId: 'missing', store: memoryStore() }).catch((error) => console.log('ERROR ' + error.message));
`;

function resultOf(stdout: string, tag = 'RESULT'): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith(`${tag} `));
  return tag === 'RESULT' ? JSON.parse(line?.slice(tag.length + 1) ?? 'null') : line;
}

describe('@skopos/sdk as published', () => {
  it("require('@skopos/sdk') is the SkoposSDK class, and the seed's CommonJS snippet stores events (debug logging on)", async () => {
    const { stdout } = await run(process.execPath, ['-e', COMMONJS_SNIPPET], { cwd: PACKAGE_DIR });
    expect(resultOf(stdout)).toEqual({ kind: 'function', status: 204, stored: ['/docs'] });
    expect(stdout).toContain('[skopos/sdk] Flushing 1 events');
  });

  it('import SkoposSDK from "@skopos/sdk" gets the class as the default export', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', ESM_IMPORT], {
      cwd: PACKAGE_DIR,
    });
    expect(resultOf(stdout)).toEqual({ kind: 'function', ok: true, stored: 1 });
    expect(resultOf(stdout, 'ERROR')).toMatch(/SkoposSDK: Website "missing" not found/);
  });
});
