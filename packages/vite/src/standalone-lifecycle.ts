import type { EventEmitter } from 'node:events';
import { SkoposError } from '@skopos/core';
import { type StandaloneOptions, type StandaloneServer, startStandalone } from './standalone.ts';

/** The standalone server of one dev server: started once Vite listens, closed with it. */
export interface StandaloneLifecycle {
  /** The running server; rejects when it cannot listen (the dev server logs why). */
  ready: Promise<StandaloneServer>;
  close(): Promise<void>;
}

/**
 * Starts the standalone server when Vite's own server starts listening rather than when the plugin
 * is set up: on a restart (a config change) Vite builds the new server before it closes the old
 * one, and the old standalone server still holds the port until then.
 */
export function standaloneWithVite(
  httpServer: EventEmitter | null | undefined,
  options: StandaloneOptions,
): StandaloneLifecycle {
  let running: Promise<StandaloneServer> | undefined;
  let closed = false;
  let settle: { resolve(server: StandaloneServer): void; reject(error: unknown): void } | undefined;
  const ready = new Promise<StandaloneServer>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Awaited by the page transform and the dashboard, which fall back to the configured port; never unhandled.
  ready.catch(() => {});
  const start = (): void => {
    if (closed || running) return;
    running = startStandalone(options);
    running.then(settle?.resolve, settle?.reject);
  };
  if (httpServer) httpServer.once('listening', start);
  else start();
  return {
    ready,
    close: async () => {
      closed = true;
      if (!running) {
        settle?.reject(
          new SkoposError(
            'transport_failed',
            '[skopos/vite] the dev server closed before the standalone server started',
          ),
        );
        return;
      }
      const server = await running.catch(() => undefined);
      await server?.close();
    },
  };
}
