// The monitor's script-tag build (IIFE), loaded after the tracker modules' scripts; it sends over
// WebSocket when the config's mode is `websocket`, else over HTTP.
import { defineBootstrap } from './bootstrap.ts';

defineBootstrap();
