import type { WaitUntil } from '@skopos/core';
import type { Context } from 'hono';

/**
 * The request's `waitUntil` where the runtime has one (Cloudflare Workers and other serverless
 * isolates give Hono an execution context), else `undefined` (Node, Bun and Deno servers, where
 * Hono's `executionCtx` getter throws). An isolate may be suspended once the response is sent, and
 * it drops the timers a request set when that request ends: the write queue's timer would never
 * fire, so queued events must be flushed inside `waitUntil` instead.
 */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  let context: { waitUntil?: unknown } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    return undefined;
  }
  const waitUntil = context?.waitUntil;
  return typeof waitUntil === 'function' ? (work) => waitUntil.call(context, work) : undefined;
}
