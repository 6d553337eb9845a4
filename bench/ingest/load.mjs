// What the load generator sends: batches of 25 events of one visitor, as a browser tracker batches
// its own page's events, with the headers a browser's fetch/WebSocket carries; and its HTTP run
// (`httpLoad`), shared by ingest.mjs and serve-ab.mjs.
import autocannon from 'autocannon';
import { userAgents } from '../user-agents.mjs';

export const BATCH = 25;
/** HTTP connections of a load run, and WebSocket connections with one batch in flight each. */
export const CONNECTIONS = 50;

/**
 * `skopos serve` flags for a load that comes from this one machine: the per-client limits off, and
 * each visitor told apart by `X-Forwarded-For` from loopback; no dashboard.
 */
export const LOAD_FROM_ONE_ADDRESS = [
  '--rate-limit',
  'off',
  '--max-connections-per-ip',
  '0',
  '--trust-proxy',
  'loopback',
  '--no-dashboard',
];

/** `skopos serve` as the benches start it: one site, a buffer of `maxBuffer` events, load from one address. */
export function serveArgs(maxBuffer) {
  return [
    'serve',
    '--port',
    '0',
    '--site',
    'bench=example.com',
    '--max-buffer',
    String(maxBuffer),
    ...LOAD_FROM_ONE_ADDRESS,
  ];
}

const chromeUas = userAgents(1000).filter((ua) => ua.includes('Chrome/'));
const ID = '@@ID@@';

function event(i) {
  const page = `https://example.com/p/${i % 40}`;
  if (i % 5 === 4) {
    return {
      type: 'custom',
      name: 'signup_click',
      url: page,
      customData: { plan: 'pro', seats: 3 },
      eventId: ID,
    };
  }
  return {
    type: 'pageView',
    url: `${page}?utm_source=newsletter&utm_medium=email`,
    referrer: 'https://www.google.com/',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en-US',
    eventId: ID,
  };
}

// 64 batch shapes, pre-serialised around their event ids: a request only splices fresh ids in, so the
// load generator spends its core on sending, not on JSON.stringify.
const templates = Array.from({ length: 64 }, (_, t) =>
  JSON.stringify(Array.from({ length: BATCH }, (_, j) => event(t * 7 + j))).split(ID),
);

let sequence = 0;
/**
 * The `events` array of a fresh batch as JSON, each event with a unique `eventId` (the store dedupes
 * by it) of 20 `[a-z0-9]` characters, the length Skopos' browser tracker sends. (Until 2026-12-06
 * they were 7–9 characters: V8's JSON.parse interns string values of up to 10 characters, which
 * cost every server here about 0.4 µs more per event than real ids do.)
 */
export function eventsJson() {
  const n = sequence++;
  const parts = templates[n % templates.length];
  const prefix = `${n.toString(36).padStart(17, '0')}e`;
  let out = parts[0];
  for (let j = 1; j < parts.length; j++) out += prefix + (j - 1).toString(36).padStart(2, '0') + parts[j];
  return out;
}

/** The visitor `v`'s address (TEST-NET and benchmark ranges) and Chrome user agent. */
export function visitor(v) {
  return { ip: `198.18.${(v >> 8) & 255}.${v & 255}`, ua: chromeUas[v % chromeUas.length] };
}

/** Headers of a tracker's `fetch` POST from https://example.com to its analytics host. */
export function fetchHeaders(v) {
  const { ip, ua } = visitor(v);
  return browserHeaders(ua, ip);
}

/** A browser's fetch POST of JSON from https://example.com, as the client `ip` behind the loopback proxy. */
export function browserHeaders(ua, ip) {
  return {
    'content-type': 'application/json',
    'user-agent': ua,
    accept: '*/*',
    'accept-language': 'en-US,en;q=0.9',
    'accept-encoding': 'gzip, deflate, br, zstd',
    origin: 'https://example.com',
    referer: 'https://example.com/',
    'sec-fetch-site': 'same-site',
    'sec-fetch-mode': 'cors',
    'sec-fetch-dest': 'empty',
    'x-forwarded-for': ip,
  };
}

/** Headers of a browser's WebSocket handshake from the same page (browsers send no `accept` there). */
export function upgradeHeaders(v) {
  const { ip, ua } = visitor(v);
  return {
    'user-agent': ua,
    'accept-language': 'en-US,en;q=0.9',
    'accept-encoding': 'gzip, deflate, br, zstd',
    origin: 'https://example.com',
    'sec-fetch-site': 'same-site',
    'sec-fetch-mode': 'websocket',
    'sec-fetch-dest': 'websocket',
    'x-forwarded-for': ip,
  };
}

// As many visitors as connections, over HTTP as over WebSocket (whose events all take the upgrade
// request's address), so both runs cost the pipeline the same and the ratios compare transports.
let visitorSeq = 0;
/** A visitor no earlier run of this process's loads has used (see `visitor`). */
export function nextVisitor() {
  return visitorSeq++;
}

/**
 * One autocannon run of `seconds` (whole seconds: autocannon checks for its end once a second):
 * fresh event ids on every request, CONNECTIONS visitors taking turns. (autocannon clears a
 * request's context each time its request list starts over, i.e. on every request here: headers
 * kept there made each batch a new visitor, one session per 25 events, where the WebSocket run
 * opens one per connection.)
 */
export async function httpLoad(port, seconds) {
  const visitors = Array.from({ length: CONNECTIONS }, () => fetchHeaders(nextVisitor()));
  let turn = 0;
  let accepted = 0;
  const start = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/_tracker/events',
        setupRequest: (req) => {
          const headers = visitors[turn++ % CONNECTIONS];
          return { ...req, headers, body: `{"events":${eventsJson()}}` };
        },
        onResponse: (status, body) => {
          if (status === 200) accepted += JSON.parse(body).accepted;
        },
      },
    ],
  });
  const elapsed = (performance.now() - start) / 1000;
  return {
    rate: accepted / elapsed,
    events: accepted,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
