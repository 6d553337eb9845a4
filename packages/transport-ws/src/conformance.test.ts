import { silentLogger } from '@skopos/core';
import { CONFORMANCE_SITE, describeTransport } from '@skopos/core/testing';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from './client-options.ts';
import { BROWSER_HEADERS, BrowserWebSocket, startWsTestServer, type WsTestServer } from './test-support.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

/** `ws` with a browser's handshake, whose first connection is cut right after the server's first ack. */
function losingFirstAck(): WebSocketConstructor {
  let lost = false;
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { headers: BROWSER_HEADERS });
      this.prependListener('message', (data) => {
        if (lost || !String(data).includes('"ack"')) return;
        lost = true;
        // Cut before the client's own listener sees the ack, as a dropped connection would.
        this.removeAllListeners('message');
        this.terminate();
      });
    }
  };
}

describeTransport<WsTestServer>({
  name: 'websocket',
  startServer: ({ apiKey }) => startWsTestServer({ apiKey, siteId: undefined }, [CONFORMANCE_SITE]),
  createClient(server, { apiKey, batchSize, loseFirstAnswer }) {
    const transport = createWebSocketTransport({
      url: server.url,
      apiKey,
      batchSize,
      flushInterval: 60_000,
      reconnectDelayMs: 10,
      maxReconnectDelayMs: 50,
      closeTimeoutMs: 200,
      WebSocket: loseFirstAnswer ? losingFirstAck() : BrowserWebSocket,
      logger: silentLogger,
    });
    return {
      track: (event) => transport.track(event),
      flush: () => transport.flush(),
      authRefused: () => transport.error?.code === 'auth_failed',
      close: () => transport.close(),
    };
  },
});
