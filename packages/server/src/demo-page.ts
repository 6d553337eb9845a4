import type { StaticAsset } from './options.ts';

/** The pages of the demo site, with their headings: links between them produce page views. */
export const DEMO_PAGES = {
  '/': 'Home',
  '/pricing': 'Pricing',
  '/docs': 'Docs',
  '/blog/hello-world': 'Blog: hello, world',
} as const;

export const DEMO_PATHS = Object.keys(DEMO_PAGES) as (keyof typeof DEMO_PAGES)[];

/** Where the demo links to its dashboard (the server's default base path, the `demo` site). */
export const DEMO_DASHBOARD_PATH = '/_tracker/dashboard?site=demo';

/** Where the demo's events are stored, as the page tells its visitor. */
export type DemoStore = 'pocketbase' | 'memory';

// A 1 s flush so that a click shows up on the dashboard's next live refresh.
const TRACKER = `<script defer src="/skopos.js" data-site="demo" data-allow-localhost data-flush-interval="1000"></script>`;

// Thrown from a listener of this page's own script, so the tracker sees the message and stack.
const ERROR_BUTTON_SCRIPT = `<script>
  document.addEventListener('click', function (e) {
    if (e.target.closest('#demo-error')) throw new Error('Demo error: the checkout button is broken');
  });
</script>`;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
nav a{margin-right:1rem}nav a[aria-current]{font-weight:600;text-decoration:none}
button{margin:.25rem .25rem .25rem 0;padding:.4rem .8rem;font:inherit;cursor:pointer}
.dashboard{display:inline-block;margin:.5rem 0;padding:.5rem 1rem;border-radius:.4rem;background:#0969da;color:#fff;text-decoration:none;font-weight:600}
.note{color:#59636e;font-size:.9rem}`;

function storeText(store: DemoStore): string {
  return store === 'pocketbase'
    ? 'stored in PocketBase'
    : 'kept in the server’s memory store (gone when it stops)';
}

function page(path: keyof typeof DEMO_PAGES, store: DemoStore): string {
  const title = DEMO_PAGES[path];
  const links = DEMO_PATHS.map(
    (to) => `<a href="${to}"${to === path ? ' aria-current="page"' : ''}>${DEMO_PAGES[to]}</a>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · Skopos demo</title>
<style>${STYLE}</style>
${TRACKER}
${ERROR_BUTTON_SCRIPT}
</head>
<body>
<nav>
${links}
</nav>
<h1>Skopos demo</h1>
<h2>${title}</h2>
<p>Every page view, tagged click and JavaScript error on this site is sent to this server and
${storeText(store)}. Tracker: <code>/skopos.js</code> from @skopos/browser.</p>
<p><a class="dashboard" href="${DEMO_DASHBOARD_PATH}" target="_blank" rel="noopener">Open the dashboard ↗</a></p>
<p class="note">Keep the dashboard open next to this tab: its <em>Live</em> range refreshes every 5 seconds,
so the pages you visit and the buttons you press show up within a few seconds.</p>
<h3>Try it</h3>
<p>
<button data-skopos-event="signup" data-skopos-plan="free">Sign up (free)</button>
<button data-skopos-event="signup" data-skopos-plan="pro">Start the pro trial</button>
<button id="demo-error" type="button">Throw an error</button>
</p>
<p class="note">The sign-up buttons carry <code>data-skopos-event="signup"</code>: a click sends the custom event
<code>signup</code> with <code>{ plan }</code>. “Throw an error” throws an uncaught error, reported as a JS error.
Raw data: <a href="/_tracker?site=demo">/_tracker?site=demo</a> ·
<a href="/_tracker/stats?site=demo">/_tracker/stats?site=demo</a></p>
</body>
</html>
`;
}

/** The demo site, `{ path: page }`; its pages load the tracker from `/skopos.js`. */
export function demoPages(store: DemoStore): Record<string, StaticAsset> {
  return Object.fromEntries(
    DEMO_PATHS.map((path) => [path, { type: 'text/html; charset=utf-8', body: page(path, store) }]),
  );
}
