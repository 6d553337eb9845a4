// The app of the options end-to-end tests (e2e-options*.test.ts): a page whose `scenario()` does
// everything each tracker reports (and everything the options tell them to ignore), the
// same-origin API it calls, served by the same Vite dev server, and the events it must produce.
import { symlinkSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadEvent } from '@skopos/core';
import type { Plugin } from 'vite';
import type { LogLevel } from './options.ts';

const EXAMPLE_MODULES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'examples',
  'vite',
  'node_modules',
);

/** A port Chromium never connects to (it refuses port 1 outright): the network failure of fetch and XHR. */
export const DOWN_URL = 'http://127.0.0.1:1/down';

// The padding keeps the buttons clear of the debug overlay's button (overlay.position 'top-left').
const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="/main.js"></script></head>
<body><main style="padding: 160px"><button id="buy" class="btn primary">Buy now</button>
<div class="no-track"><button id="hidden">Not tracked</button></div></main></body></html>`;

/**
 * The app's code: `@skopos/vite/client`'s `tracker`, as a vite-plugin-monitor app imports it. With
 * `autoInit: false` the app starts the tracker itself. `scenario()` waits for events of the page
 * (hashchange, error), never for time.
 */
const main = (manualInit: boolean): string => `import { tracker } from '@skopos/vite/client';
if (${manualInit}) tracker.init();

const xhr = (url) => new Promise((resolve) => {
  const request = new XMLHttpRequest();
  request.open('GET', url);
  request.addEventListener('loadend', () => resolve(request.status));
  request.send();
});
const seen = (type, count) => new Promise((resolve) => {
  let n = 0;
  addEventListener(type, () => ++n === count && resolve());
});

window.scenario = async () => {
  history.pushState(null, '', '/products?page=2');
  history.replaceState(null, '', '/products?page=3');
  const hash = seen('hashchange', 1);
  location.hash = 'reviews';
  await hash;
  history.pushState(null, '', '/login');
  history.pushState(null, '', '/cart');

  await fetch('/api/ok', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t', 'x-internal': '1', 'x-trace': 't1' },
    body: JSON.stringify({ item: 3, fiscalCode: 'F' }),
  });
  await fetch('/api/missing');
  await fetch('/api/fail');
  await fetch('${DOWN_URL}').catch(() => {});
  await fetch('/health');
  await fetch('/api/ok', { method: 'OPTIONS' });
  await fetch('/api/big');
  await xhr('/api/ok?via=xhr');
  await xhr('${DOWN_URL}');

  console.log('[app] noise');
  console.log('[skip] this one too');
  console.log('%s has %d items', 'cart', 3, { id: 1 }, 'extra');
  console.info('x'.repeat(60));
  console.debug('debug line');
  console.warn('low stock');
  console.error('console failure');
  console.table([1]);

  const errors = Promise.all([seen('error', 2), seen('unhandledrejection', 1)]);
  setTimeout(() => { throw new TypeError('boom'); });
  setTimeout(() => { throw new Error('ResizeObserver loop limit exceeded'); });
  Promise.reject(new RangeError('nope'));
  await errors;

  tracker.setContext({ tenant: 'acme' });
  const groupId = tracker.group('checkout');
  tracker.track('step:address', { n: 1 }, { groupId, level: 'warn' });
  console.warn('with context');
  tracker.setUser('user-42', { attributes: { plan: 'pro' } });
  tracker.time('load-products');
  await fetch('/api/ok?timed=1');
  const ms = tracker.timeEnd('load-products', { count: 5 });
  tracker.track('done');
  return { groupId, ms };
};
`;

/** Line and column (1-based) of `needle` in the app's main.js, as the browser reports positions. */
export function mainPosition(needle: string): { lineno: number; colno: number } {
  const lines = main(false).split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  return { lineno: index + 1, colno: (lines[index]?.indexOf(needle) ?? 0) + 1 };
}

/** Writes the app into a temp Vite project, with the example's node_modules for `@skopos/vite/client`. */
export function writeApp(root: string, manualInit: boolean): void {
  writeFileSync(join(root, 'index.html'), HTML);
  writeFileSync(join(root, 'main.js'), main(manualInit));
  symlinkSync(EXAMPLE_MODULES, join(root, 'node_modules'), 'dir');
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': 'req-1',
      'set-cookie': 'sid=secret',
    })
    .end(JSON.stringify(body));
};

/** `/api/ok` (a token in its body), `/api/missing` (404), `/api/fail` (500), `/api/big`, `/health`. */
export const apiPlugin: Plugin = {
  name: 'e2e-options-api',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path === '/health') return void res.writeHead(200).end('ok');
      if (!path?.startsWith('/api/')) return next();
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      if (path === '/api/ok') return json(res, 200, { ok: true, token: 'abc' });
      if (path === '/api/big') return json(res, 200, { rows: Array.from({ length: 50 }, (_, i) => i) });
      return json(res, path === '/api/fail' ? 500 : 404, { error: path });
    });
  },
};

const RANK: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** `<level> <type> <what>`: enough to tell every event of the scenario apart. */
export function signature({ level, type, payload: p }: ReadEvent): string {
  const what: Record<string, unknown[]> = {
    click: [p.text],
    navigation: [p.trigger, p.from, '->', p.to],
    http: [p.method, p.url, p.status ?? p.error],
    console: [p.method, p.message],
    error: [p.errorType, p.message],
    session: [p.action, p.trigger],
    custom: [p.name],
  };
  return [level, type, ...(what[type] ?? [])].join(' ');
}

/**
 * Everything the scenario does that must arrive, in the order it happens. Not here, so never sent:
 * the click inside `.no-track`, the navigations to and from `/login` (ignoreRoutes), `/health`
 * (ignoreUrls), the OPTIONS call (ignoreMethods), `[app] noise` and `[skip] …` (ignorePatterns),
 * `console.table` (not in methods), the ResizeObserver error (ignoreMessages).
 */
const SCENARIO = [
  'info session start init',
  'info navigation load /shop?tab=new -> /shop?tab=new',
  'info click Buy now',
  'info navigation pushState /shop?tab=new -> /products?page=2',
  'info navigation replaceState /products?page=2 -> /products?page=3',
  'info navigation hashchange /products?page=3 -> /products#reviews',
  'info http POST /api/ok 200',
  'warn http GET /api/missing 404',
  'error http GET /api/fail 500',
  `error http GET ${DOWN_URL} TypeError: Failed to fetch`,
  'info http GET /api/big 200',
  'info http GET /api/ok?via=xhr 200',
  `error http GET ${DOWN_URL} Network error`,
  'info console log cart has 3 items',
  `info console info ${'x'.repeat(60)}`,
  'debug console debug debug line',
  'warn console warn low stock',
  'error console error console failure',
  'error error TypeError Uncaught TypeError: boom',
  'error error RangeError nope',
  'warn custom step:address',
  'warn console warn with context',
  'info session end userId-change',
  'info session start userId-change',
  'info http GET /api/ok?timed=1 200',
  'info custom load-products',
  'info custom done',
];

/** The scenario's events that pass `track.level` (session and custom events always do). */
export function expectedSignatures(level: LogLevel): string[] {
  return SCENARIO.filter((line) => {
    const [eventLevel = '', type] = line.split(' ');
    return type === 'session' || type === 'custom' || (RANK[eventLevel] ?? 0) >= (RANK[level] ?? 0);
  });
}
