// `skopos-monitor-http.global.js`: the monitor script without the WebSocket sender (about 470 bytes
// gzipped less), for pages whose config is not in `websocket` mode (scripts/iife.ts swaps it out).
import { defineBootstrap } from './bootstrap.ts';

defineBootstrap();
