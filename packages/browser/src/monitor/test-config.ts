// Helpers of the monitor client's happy-dom tests: a page config as the Vite plugin injects it, and
// the sent events split by shape (vite-plugin-monitor's vs Skopos' page views and signals).
import type { Network } from '../test-support.ts';
import type { TrackerEvent } from '../types.ts';
import type { MonitorConfig, MonitorEvent } from './types.ts';

type ConfigChanges = Partial<Omit<MonitorConfig, 'track'>> & { track?: Partial<MonitorConfig['track']> };

/** vite-plugin-monitor's resolved defaults in middleware mode, batches of 1 so each event is a request. */
export function monitorConfig(changes: ConfigChanges = {}): MonitorConfig {
  return {
    appId: 'shop',
    mode: 'middleware',
    writeEndpoint: '/_tracker/events',
    readEndpoint: '/_tracker/events',
    pingEndpoint: '',
    wsEndpoint: '',
    apiKey: 'k3y',
    batchSize: 1,
    flushInterval: 3000,
    dashboard: { enabled: false, route: '/_dashboard', pollInterval: 3000 },
    overlay: { enabled: false, position: 'bottom-right' },
    ...changes,
    track: {
      clicks: false,
      http: false,
      errors: false,
      navigation: false,
      console: false,
      level: 'info',
      ...changes.track,
    },
  };
}

const isMonitor = (event: object): event is MonitorEvent => 'sessionId' in event;

/** The vite-plugin-monitor events sent so far. */
export const monitorEvents = (network: Network): MonitorEvent[] =>
  (network.events() as object[]).filter(isMonitor);

/** Skopos' own events sent so far (page views, engagement signals). */
export const skoposEvents = (network: Network): TrackerEvent[] =>
  network.events().filter((event) => !isMonitor(event));

/** `[type, payload]` of each monitor event, the part most tests compare. */
export const sent = (network: Network): [string, Record<string, unknown>][] =>
  monitorEvents(network).map((event) => [event.type, event.payload]);
