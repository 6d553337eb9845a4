// Script-tag add-on: load it after the core script (both `defer`); it attaches to `window.skopos`.
import { captureClicks } from './clicks.ts';

if (window.skopos) captureClicks(window.skopos);
