export { attachWebSocketServer } from './attach-server.ts';
export * from './protocol.ts';
export type { SkoposWebSocketServer, WebSocketServerOptions } from './server-options.ts';
