export { attachWebSocketServer } from './attach-server.ts';
export * from './protocol.ts';
export type {
  SkoposWebSocketServer,
  WebSocketClientBudget,
  WebSocketClientLimits,
  WebSocketServerOptions,
  WebSocketServerStats,
} from './server-options.ts';
