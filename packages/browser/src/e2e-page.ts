/**
 * The demo page of the end-to-end test: the script tag as a site would paste it, allowed on
 * 127.0.0.1. Batches of 4 and no timer flush make the requests deterministic: two fetches during
 * the visit, then the last engagement signal alone in the final beacon.
 */
export function demoPage(writeEndpoint: string, apiKey: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Skopos demo</title>
    <script defer src="/skopos.js" data-site="demo" data-write-endpoint="${writeEndpoint}" data-api-key="${apiKey}"
      data-batch-size="4" data-flush-interval="600000" data-allow-localhost></script>
  </head>
  <body>
    <h1>Demo shop</h1>
    <button id="signup" data-skopos-event="signup" data-skopos-plan="pro"><span>Sign up</span></button>
  </body>
</html>`;
}
