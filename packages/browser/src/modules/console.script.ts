// Script-tag add-on: load it after the core script (both `defer`); it attaches to `window.skopos`.
import { captureConsole } from './console.ts';

if (window.skopos) captureConsole(window.skopos);
