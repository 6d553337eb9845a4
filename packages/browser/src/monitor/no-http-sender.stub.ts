// Stands in for `./http-sender.ts` in `skopos-monitor-ws.global.js` (see scripts/iife.ts): a page
// not in `websocket` mode given that build gets this error instead of silently sending nothing.
export function createMonitorSender(): never {
  throw new Error('[skopos/browser] http mode: load skopos-monitor-http.global.js');
}
