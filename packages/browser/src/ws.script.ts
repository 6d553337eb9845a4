// The WebSocket script-tag build (IIFE): the core script with the WebSocket sender instead of HTTP.
import { readPageConfig } from './page-config.ts';
import type { Tracker } from './types.ts';
import { createWsTracker } from './ws.ts';

declare global {
  interface Window {
    skopos?: Tracker;
  }
}

window.skopos ??= createWsTracker(readPageConfig());
