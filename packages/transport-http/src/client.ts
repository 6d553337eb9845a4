// `@skopos/transport-http/client`: the browser-safe sender alone (no server code, no `node:` imports).
export * from './client/index.ts';
