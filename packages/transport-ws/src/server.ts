export { attachWebSocketServer } from './attach-server.ts';
export { MAX_WINDOW_EVENTS, WINDOW_QUERY_BYTES, WINDOW_QUERY_MS } from './events-query.ts';
export { STALLED_WRITE_MS } from './outgoing.ts';
export * from './protocol.ts';
export type {
  SkoposWebSocketServer,
  WebSocketClientBudget,
  WebSocketClientLimits,
  WebSocketServerOptions,
  WebSocketServerStats,
} from './server-options.ts';
