// Script-tag add-on: load it after the core script (both `defer`); it attaches to `window.skopos`.
import { trackWebVitals } from './web-vitals.ts';

if (window.skopos) trackWebVitals(window.skopos);
