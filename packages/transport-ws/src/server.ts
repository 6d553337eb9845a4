export { attachWebSocketServer } from './attach-server.ts';
export * from './protocol.ts';
export type {
  SkoposWebSocketServer,
  WebSocketServerOptions,
  WebSocketServerStats,
} from './server-options.ts';
