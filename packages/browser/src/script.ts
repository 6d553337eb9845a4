// The script-tag build (IIFE): reads its options from the page and exposes `window.skopos`.
import { readPageConfig } from './page-config.ts';
import { createTracker } from './tracker.ts';
import type { Tracker } from './types.ts';

declare global {
  interface Window {
    skopos?: Tracker;
  }
}

window.skopos ??= createTracker(readPageConfig());
