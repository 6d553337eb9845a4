import type { MonitorEvent } from '../types.ts';

/** Longest summary shown; the full event is in the dashboard. */
const MAX = 120;

// Payload fields are `unknown` (trackers are separate modules); missing ones print as nothing.
const text = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** One line per event: the payload fields a developer scans for, by type. */
export function summarize({ type, payload: p }: MonitorEvent): string {
  const ms = (value: unknown): string => (typeof value === 'number' ? ` ${Math.round(value)}ms` : '');
  let line: string;
  switch (type) {
    case 'click':
      line = `${text(p.tag)}${p.id ? `#${text(p.id)}` : ''} "${text(p.text)}"`;
      break;
    case 'http':
      line = `${text(p.method)} ${text(p.url)} → ${text(p.status ?? p.error)}${ms(p.duration)}`;
      break;
    case 'error':
      line = `${text(p.errorType)}: ${text(p.message)}`;
      break;
    case 'navigation':
      line = `${text(p.from)} → ${text(p.to)} (${text(p.trigger)})`;
      break;
    case 'console':
      line = `${text(p.method)}: ${text(p.message)}`;
      break;
    case 'session':
      line = `${text(p.action)} (${text(p.trigger)}) ${text(p.newUserId ?? p.previousUserId)}`;
      break;
    default:
      line = `${text(p.name)}${ms(p.duration)}`;
  }
  line = line.trim();
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}
