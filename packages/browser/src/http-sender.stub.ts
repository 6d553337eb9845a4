// Stands in for `./sender.ts` in the WebSocket script build (see scripts/iife.ts): that build always
// hands `createTracker` its WebSocket sender, so the HTTP one is never created there and this is
// never called.
import type { Sender } from './sender.ts';

export const createSender = (..._unused: unknown[]): Sender => undefined as never;
