// Stands in for `../ws-sender.ts` in `skopos-monitor-http.global.js` (see scripts/iife.ts): a page
// in `websocket` mode given that build gets this error instead of silently sending nothing.
export function createWsSender(): never {
  throw new Error('[skopos/browser] websocket mode: load skopos-monitor-ws.global.js');
}
