// Swapped in for `./http-capture.ts` in `monitor-http.global.js` (scripts/iife.ts): headers and
// bodies are captured only in `monitor-http-capture.global.js`, which @skopos/vite serves when a
// `track.http.capture*` option is on. Redaction is ~560 B of the 1.8 KB tracker that most pages never use.
import type { HttpTrackOptions } from '../options.ts';

export function httpCapture(_options: HttpTrackOptions) {
  return { headers: (_entries: Iterable<[string, string]>) => undefined, body: (_raw: string) => undefined };
}
