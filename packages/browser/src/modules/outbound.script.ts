// Script-tag add-on: load it after the core script (both `defer`); it attaches to `window.skopos`.
import { trackOutboundLinks } from './outbound.ts';

if (window.skopos) trackOutboundLinks(window.skopos);
