import { createTracker } from './tracker.ts';
import type { Tracker, TrackerOptions } from './types.ts';
import { createWsSender } from './ws-sender.ts';

/**
 * `createTracker` sending over one persistent WebSocket (vite-plugin-monitor's `mode: 'websocket'`) to a
 * server speaking `@skopos/transport-ws`'s protocol, such as `attachWebSocketServer`. Everything but
 * the delivery is the core tracker's; `wsEndpoint` (default `/_tracker/ws` on the page's host) is a
 * `ws://` or `wss://` URL, and `apiKey` is sent in the `auth` message. `stop()` also closes the socket.
 *
 * @example
 * import { createWsTracker } from '@skopos/browser/ws';
 *
 * const skopos = createWsTracker({ site: 'my-app', wsEndpoint: 'wss://stats.example.com/_tracker/ws' });
 * skopos.track('signup', { plan: 'pro' });
 */
export function createWsTracker(options: TrackerOptions = {}): Tracker {
  const sender = createWsSender(
    options.wsEndpoint || '/_tracker/ws',
    options.apiKey,
    // `+` because the script tag passes its data-* strings as they are.
    +(options.batchSize as number) || 25,
    +(options.flushInterval as number) || 3000,
  );
  const tracker = createTracker(options, sender);
  return {
    ...tracker,
    stop() {
      tracker.stop();
      sender.close();
    },
  };
}
