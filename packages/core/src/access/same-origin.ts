/**
 * Whether a browser's `Origin` names the server the request reached (its `Host`): a page the
 * server itself serves. Such a page needs no place in an origins list, over HTTP or WebSocket.
 * An origin that is not a URL, or a request without `Host`, is not same-origin.
 *
 * @example
 * isSameOrigin('https://shop.example', 'shop.example'); // true
 * isSameOrigin('https://www.shop.example', 'shop.example'); // false
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
