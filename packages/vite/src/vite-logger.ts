import type { Logger } from '@skopos/core';
import type { Logger as ViteLogger } from 'vite';

/** Skopos' logger interface over Vite's, so that messages follow Vite's `logLevel` and formatting. */
export function fromViteLogger(vite: ViteLogger): Logger {
  const line = (message: string, data?: Record<string, unknown>): string =>
    `[skopos/vite] ${message}${data ? ` ${JSON.stringify(data)}` : ''}`;
  return {
    debug() {},
    info: (message, data) => vite.info(line(message, data), { timestamp: true }),
    warn: (message, data) => vite.warn(line(message, data), { timestamp: true }),
    error: (message, data) => vite.error(line(message, data), { timestamp: true }),
  };
}
