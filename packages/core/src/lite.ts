// `@skopos/core/lite`: the dependency-free, Web-only part of core for browser bundles. The main
// entry pulls in zod, isbot and ua-parser-js (~110 KB minified), which a tracker must not ship.
export type { SkoposErrorCode } from './errors.ts';
export { isSkoposError, isStoreRejection, SkoposError } from './errors.ts';
export type { Logger, LoggerOptions, LogLevel, LogSink } from './logger.ts';
export { createLogger, silentLogger } from './logger.ts';
export type { EventLevel, EventType, MonitorEventType } from './model/event-types.ts';
export { EVENT_LEVELS, MONITOR_EVENT_TYPES, SKOPOS_EVENT_TYPES } from './model/event-types.ts';
export { ACTIVE_WINDOW_MS } from './model/query.ts';
export type { SendOptions, SendResult, Transport } from './transport/transport.ts';
export type { MaybePromise } from './util/maybe-promise.ts';
export type { ApiEventPayload, TrackerEvent } from './validation/payload-types.ts';
