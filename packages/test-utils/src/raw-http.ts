import { connect } from 'node:net';

/**
 * The status line answered to a GET sent as raw HTTP/`version` from 127.0.0.1 with these header
 * lines: what `fetch` cannot send, e.g. HTTP/1.0 as nginx's default `proxy_pass` speaks it.
 *
 * @example
 * await rawHttpStatus('http://127.0.0.1:4242/_tracker/stats', '1.0', ['Host: 127.0.0.1:4242']); // 'HTTP/1.1 401 Unauthorized'
 */
export async function rawHttpStatus(
  url: string,
  version: '1.0' | '1.1',
  headerLines: string[],
): Promise<string> {
  const { port, pathname, search } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(`GET ${pathname}${search} HTTP/${version}\r\n${headerLines.join('\r\n')}\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) {
    text += String(chunk);
    if (text.includes('\r\n')) break;
  }
  socket.destroy();
  return text.split('\r\n', 1)[0] ?? '';
}

/** What nginx sends upstream for `location / { proxy_pass http://127.0.0.1:<port>; }`: HTTP/1.0, no X-Forwarded-For. */
export function nginxDefaultHeaders(url: string): string[] {
  return [`Host: 127.0.0.1:${new URL(url).port}`, 'Connection: close'];
}
