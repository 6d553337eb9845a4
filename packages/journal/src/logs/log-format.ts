import type { LogLevel, ReadEvent } from '@skopos/core';

export const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The `json` line: the event exactly as reads answer it, so a replay restores what reads showed. */
export function jsonLine(event: ReadEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** The `pretty` line: time, level, type and who first, aligned for `tail -f`; the details last. */
export function prettyLine(event: ReadEvent): string {
  const who = event.userId === '' ? '-' : event.userId;
  const details = { path: event.path, ...event.payload };
  return `${event.timestamp} ${event.level.toUpperCase().padEnd(5)} ${event.type.padEnd(14)} ${event.appId} user=${who} session=${event.sessionId} ${JSON.stringify(details)}\n`;
}
