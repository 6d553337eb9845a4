import type { RequestContext } from '../types.ts';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Headers a real Chrome sends with `navigator.sendBeacon` / `fetch` to an analytics endpoint. */
export function browserRequest(remoteAddress: string, headers: Record<string, string> = {}): RequestContext {
  return {
    remoteAddress,
    headers: {
      'user-agent': CHROME_UA,
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      'sec-ch-ua': '"Chromium";v="131", "Not_A Brand";v="24"',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-dest': 'empty',
      ...headers,
    },
  };
}

export const pageView = (url = 'https://example.com/', extra: Record<string, unknown> = {}) => ({
  type: 'pageView',
  url,
  ...extra,
});
