// Script-tag build (monitor-overlay.global.js, dev only, served when `overlay.enabled`): registers the
// debug overlay on `window.__skopos_overlay__`, which the monitor's bootstrap mounts on `init`.
import { mountOverlay } from './overlay.ts';

window.__skopos_overlay__ = mountOverlay;
