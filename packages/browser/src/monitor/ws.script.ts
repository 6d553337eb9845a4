// `skopos-monitor-ws.global.js`: the monitor script without the HTTP sender, for `websocket` mode
// (scripts/iife.ts swaps it out).
import { defineBootstrap } from './bootstrap.ts';

defineBootstrap();
