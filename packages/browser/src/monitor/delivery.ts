import type { Sender } from '../sender.ts';
import type { TrackerEvent } from '../types.ts';
import { createWsSender } from '../ws-sender.ts';
import { createMonitorSender } from './http-sender.ts';
import type { MonitorConfig, MonitorEvent, TrackerContext } from './types.ts';

/** What the monitor client sends: vite-plugin-monitor's events, and Skopos' page views and engagement signals. */
export type MonitorWireEvent = MonitorEvent | TrackerEvent;

/**
 * The queue of the page config's mode: one WebSocket in `websocket` mode (Skopos' sender, speaking
 * `ingest` frames), else HTTP batches on vite-plugin-monitor's wire (`createMonitorSender`), which
 * the users' own backends in `http` mode were written for.
 */
export function senderFor(config: MonitorConfig): Sender<MonitorWireEvent> {
  const { apiKey, batchSize, flushInterval, wsEndpoint } = config;
  // vite-plugin-monitor's defaults when the config leaves them out.
  const size = batchSize || 25;
  const interval = flushInterval || 3000;
  if (config.mode === 'websocket' && wsEndpoint) return createWsSender(wsEndpoint, apiKey, size, interval);
  const endpoint = config.writeEndpoint || '/_tracker/events';
  const events = createMonitorSender<MonitorWireEvent>(endpoint, apiKey, size, interval);
  // Skopos' page views and engagement signals leave in batches of their own: a backend written for
  // vite-plugin-monitor that refuses or chokes on them (no `meta`) then costs only them.
  const signals = createMonitorSender<MonitorWireEvent>(endpoint, apiKey, size, interval);
  return {
    push: (event) => ('meta' in event ? events : signals).push(event),
    flush(beacon) {
      events.flush(beacon);
      signals.flush(beacon);
    },
  };
}

/** What the trackers must leave alone: the dashboard's own pages and the client's own requests. */
export function trackerContext(config: MonitorConfig): TrackerContext {
  const ownEndpoints: string[] = [];
  for (const endpoint of [config.writeEndpoint, config.readEndpoint, config.pingEndpoint]) {
    // Both forms: the app may call `/_tracker/events`, the sender calls its absolute URL.
    if (endpoint) ownEndpoints.push(endpoint, new URL(endpoint, location.href).href);
  }
  return { ignoreRoutes: config.dashboard.enabled ? [config.dashboard.route] : [], ownEndpoints };
}
