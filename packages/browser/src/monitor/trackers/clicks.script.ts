// Script-tag build (monitor-clicks.global.js): puts the tracker on `window.__skopos_trackers__`, where
// the monitor client finds it and installs it when `track.clicks` is on.
import { setupClickTracker } from './clicks.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.clicks = setupClickTracker;
