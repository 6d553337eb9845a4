import { BROWSER_HEADERS as CHROME_HEADERS } from '@skopos/test-utils';
/** Chrome's tracker-request headers (shared test support) with a JSON body type. */
export const BROWSER_HEADERS: Record<string, string> = {
  ...CHROME_HEADERS,
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
