import type { StaticAsset } from './options.ts';

/** The pages of the demo site: each is the same document, so that links produce page views. */
export const DEMO_PATHS = ['/', '/pricing', '/docs', '/blog/hello-world'] as const;

/**
 * Stands in for `@skopos/browser` while its script is not built: a page view on load and a custom
 * event per tagged button, posted with fetch. Temporary — the real tracker also batches, retries
 * and sends on page hide.
 */
const INLINE_TRACKER = `<script>
  // TEMPORARY stand-in for @skopos/browser (its dist/skopos.global.js is not built yet).
  function send(event) {
    return fetch('/_tracker/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [Object.assign({ siteId: 'demo', url: location.href, referrer: document.referrer || null }, event)] }),
      keepalive: true,
    });
  }
  send({ type: 'pageView' });
  document.addEventListener('click', function (e) {
    var el = e.target.closest('[data-skopos-event]');
    if (el) send({ type: 'custom', name: el.getAttribute('data-skopos-event'), customData: { plan: el.getAttribute('data-skopos-plan') } });
  });
</script>`;

const REAL_TRACKER = `<script defer src="/skopos.js" data-site="demo" data-allow-localhost data-flush-interval="1000"></script>`;

/** The demo page; `withScript` = `/skopos.js` is served, so the page uses the real tracker. */
export function demoPage(withScript: boolean): StaticAsset {
  const links = DEMO_PATHS.map((path) => `<a href="${path}">${path}</a>`).join(' · ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Skopos demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{margin:.25rem}</style>
${withScript ? REAL_TRACKER : INLINE_TRACKER}
</head>
<body>
<h1>Skopos demo</h1>
<p>Every page view and button click below is sent to this server and stored in PocketBase
(tracker: ${withScript ? '<code>/skopos.js</code> from @skopos/browser' : '<strong>temporary inline fetch</strong>, @skopos/browser is not built'}).</p>
<nav>${links}</nav>
<p>
<button data-skopos-event="signup" data-skopos-plan="free">Sign up (free)</button>
<button data-skopos-event="signup" data-skopos-plan="pro">Start the pro trial</button>
<button data-skopos-event="video_played" data-skopos-plan="intro">Play the intro video</button>
</p>
<p>Read them back: <a href="/_tracker?site=demo">/_tracker?site=demo</a> · stats:
<a href="/_tracker/stats?site=demo">/_tracker/stats?site=demo</a>. Dashboard: coming in @skopos/dashboard.</p>
</body>
</html>
`;
  return { type: 'text/html; charset=utf-8', body: html };
}
