/** A current desktop Chrome: the user agent tests send so that the bot rules see a browser. */
export const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** What Chrome sends with a tracker's fetch: the bot detector must see a real browser, not Node's fetch. */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': CHROME_UA,
  accept: '*/*',
  'accept-language': 'en-US,en;q=0.9',
  'sec-fetch-mode': 'cors',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-dest': 'empty',
};
