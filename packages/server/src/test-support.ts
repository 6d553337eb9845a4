/** What Chrome sends with a tracker's fetch, so that the bot rules see a browser and not Node's fetch. */
export const BROWSER_HEADERS: Record<string, string> = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  accept: '*/*',
  'accept-language': 'en-US,en;q=0.9',
  'sec-fetch-mode': 'cors',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-dest': 'empty',
  'content-type': 'application/json',
};

/** A seed 002 batch of page views on example.com. */
export function batchOf(paths: readonly string[], siteId?: string): string {
  return JSON.stringify({
    events: paths.map((path) => ({
      type: 'pageView',
      url: `https://example.com${path}`,
      ...(siteId ? { siteId } : {}),
    })),
  });
}
