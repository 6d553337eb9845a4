export { BROWSER_HEADERS, CHROME_UA } from './browser-headers.ts';
export type { Chromium, LaunchOptions } from './chromium.ts';
export { launchChromium } from './chromium.ts';
export type { ClickHouseServer } from './clickhouse-server.ts';
export { startClickHouse } from './clickhouse-server.ts';
export type { ControlledReads } from './controlled-reads.ts';
export { controlledReads } from './controlled-reads.ts';
export type { RunningExample } from './example-process.ts';
export { startExample } from './example-process.ts';
export { freePort, retryTakenPorts } from './free-port.ts';
export { freezeProcess } from './frozen-process.ts';
export type { MonitorEvent, MonitorVersion, RecordedRequest } from './monitor-fixtures.ts';
export {
  MONITOR_FIELDS,
  monitorFieldsOf,
  monitorHttpRequests,
  monitorView,
  monitorViews,
  monitorWsFrames,
  recordedWsFrames,
  shiftToNow,
} from './monitor-fixtures.ts';
export { nginxDefaultHeaders, rawHttpStatus } from './raw-http.ts';
export type { ReadmeCurl } from './readme-curl.ts';
export { readmeCurl } from './readme-curl.ts';
export { pollUntil, rawCommand } from './redis-command.ts';
export type { RedisTestServer, StartRedisOptions } from './redis-server.ts';
export { startRedisServer, waitClusterOk } from './redis-server.ts';
export { visitEvents, visitKind, visitPosts } from './scale-out-visits.ts';
export { SKOPOS_VISIT } from './skopos-visit.ts';
export type { CliProcess } from './watched-process.ts';
export { startProcess, stopLeftovers } from './watched-process.ts';
