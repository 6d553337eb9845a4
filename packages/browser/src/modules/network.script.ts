// Script-tag add-on: load it after the core script (both `defer`); it attaches to `window.skopos`.
import { trackNetworkTiming } from './network.ts';

if (window.skopos) trackNetworkTiming(window.skopos);
