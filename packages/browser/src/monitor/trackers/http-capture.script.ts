// Script-tag build (monitor-http-capture.global.js): the http tracker with header and body capture,
// which @skopos/vite serves instead of monitor-http.global.js when a `track.http.capture*` option is on.
import { setupHttpTracker } from './http.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.http = setupHttpTracker;
