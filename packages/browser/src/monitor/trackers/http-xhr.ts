import type { HttpCalls } from './http.ts';
import { quiet } from './match.ts';

/** The events that end an XHR: exactly one of them fires per `send`. */
const ENDS = ['load', 'error', 'abort', 'timeout'];

/** `getAllResponseHeaders()` as name/value pairs (`.` stops at the `\r\n` between lines). */
const responseHeaders = (xhr: XMLHttpRequest): [string, string][] =>
  Array.from(xhr.getAllResponseHeaders().matchAll(/(.+?): ?(.*)/g), ([, name = '', value = '']) => [
    name,
    value,
  ]);

/**
 * `XMLHttpRequest` half of the HTTP tracker: `open` notes the call, `setRequestHeader` its headers,
 * `send` starts it. Listeners are added per `send` and removed at its end, so an XHR that is opened
 * again does not report twice. Answers the restore.
 */
export function patchXhr(calls: HttpCalls): () => void {
  const proto = XMLHttpRequest.prototype;
  const { open, send, setRequestHeader } = proto;
  const opened = new WeakMap<XMLHttpRequest, { method: string; url: string; headers: [string, string][] }>();
  proto.open = function (this: XMLHttpRequest, ...args: [string, string | URL, ...unknown[]]) {
    opened.set(this, { method: args[0].toUpperCase(), url: String(args[1]), headers: [] });
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof open;
  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    opened.get(this)?.headers.push([name, value]);
    return setRequestHeader.call(this, name, value);
  };
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    try {
      const seen = opened.get(this);
      const call = seen && calls.start(seen.method, seen.url, () => seen.headers, body);
      if (call) {
        const started = performance.now();
        const end = quiet((event: Event) => {
          for (const type of ENDS) this.removeEventListener(type, end);
          // Opened again before it ended: this call is over, the new one has its own listeners.
          if (opened.get(this) !== seen) return;
          const duration = Math.round(performance.now() - started);
          // Aborted, timed out, or status 0 (vite-plugin-monitor sends nothing for those either).
          if (event.type === 'error') calls.end(call, duration, undefined, 'Network error');
          else if (event.type === 'load' && this.status) {
            const text = typeof this.response === 'string' ? this.response : '';
            calls.end(call, duration, this.status, undefined, () => responseHeaders(this), text);
          }
        });
        for (const type of ENDS) this.addEventListener(type, end);
      }
    } catch {}
    return send.call(this, body);
  };
  return () => {
    Object.assign(proto, { open, send, setRequestHeader });
  };
}
