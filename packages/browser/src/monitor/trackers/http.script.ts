// Script-tag build (monitor-http.global.js, without header and body capture: see
// http-capture.script.ts): puts the tracker on `window.__skopos_trackers__`, where
// the monitor client finds it and installs it when `track.http` is on.
import { setupHttpTracker } from './http.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.http = setupHttpTracker;
