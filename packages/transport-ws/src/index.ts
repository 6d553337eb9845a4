export type { WebSocketConstructor, WebSocketLike, WebSocketTransportOptions } from './client-options.ts';
export type {
  QueryOptions,
  QueryResult,
  WebSocketTransport,
  WebSocketTransportStats,
} from './client-types.ts';
export * from './protocol.ts';
export { createWebSocketTransport } from './websocket-transport.ts';
