// Script-tag build (monitor-console.global.js): puts the tracker on `window.__skopos_trackers__`, where
// the monitor client finds it and installs it when `track.console` is on.
import { setupConsoleTracker } from './console.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.console = setupConsoleTracker;
