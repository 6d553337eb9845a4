// Script-tag build (monitor-errors.global.js): puts the tracker on `window.__skopos_trackers__`, where
// the monitor client finds it and installs it when `track.errors` is on.
import { setupErrorTracker } from './errors.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.errors = setupErrorTracker;
