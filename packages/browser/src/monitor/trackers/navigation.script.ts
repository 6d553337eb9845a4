// Script-tag build (monitor-navigation.global.js): puts the tracker on `window.__skopos_trackers__`, where
// the monitor client finds it and installs it when `track.navigation` is on.
import { setupNavigationTracker } from './navigation.ts';

window.__skopos_trackers__ ??= {};
window.__skopos_trackers__.navigation = setupNavigationTracker;
