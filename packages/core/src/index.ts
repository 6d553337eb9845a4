export * from './access/index.ts';
export * from './detect/index.ts';
export type { SkoposErrorCode } from './errors.ts';
export { isSkoposError, isStoreRejection, SkoposError } from './errors.ts';
export type { GeoLookup, GeoResult } from './geo/geo-lookup.ts';
export * from './geo/index.ts';
export type {
  Journal,
  JournalEntry,
  JournalSink,
  RecoveredJournal,
  SessionResume,
} from './journal/journal.ts';
export type { JournalRecovery } from './journal/journal-keeper.ts';
export * from './js-errors/index.ts';
export type { Logger, LoggerOptions, LogLevel, LogSink } from './logger.ts';
export { createLogger, silentLogger } from './logger.ts';
export type { ClockSkew, EventTime } from './mapping/event-time.ts';
export { DEFAULT_CLOCK_SKEW, eventTime } from './mapping/event-time.ts';
export { recordFromMonitorEvent } from './mapping/monitor-log.ts';
export type { ReadEvent } from './mapping/read-event.ts';
export { toReadEvent } from './mapping/read-event.ts';
export {
  createWindowReadLimit,
  MAX_WINDOW_EVENTS,
  MAX_WINDOW_READS,
  openReadStream,
  type ReadStream,
  type ReadStreamOptions,
  type WindowReadLimit,
} from './mapping/read-stream.ts';
export type { CollectedEvents, ReadWindow } from './mapping/read-window.ts';
export { collectReadEvents, MAX_READ_BYTES, readAnswerMembers, windowBounds } from './mapping/read-window.ts';
export { UNNAMED_CUSTOM_EVENT } from './mapping/to-prepared.ts';
export { eventSearchText, matchesEventFilters } from './model/event-filter.ts';
export type { EventLevel, MonitorEventType, StoredEventType } from './model/event-types.ts';
export {
  ENGAGEMENT_SIGNAL,
  EVENT_LEVELS,
  isErrorType,
  isEventLevel,
  isMonitorEventType,
  isPageView,
  isPageViewType,
  isUserCustomEvent,
  LEGACY_PAGE_EXIT_EVENT,
  MONITOR_EVENT_TYPES,
  SKOPOS_EVENT_TYPES,
} from './model/event-types.ts';
export type {
  HttpEndpointRow,
  HttpSlowCall,
  HttpStats,
  HttpStatusClass,
  NavigationStep,
} from './model/monitor-stats.ts';
export type {
  CountRow,
  EventFilters,
  EventPage,
  EventQuery,
  SeriesPoint,
  Stats,
  StatsQuery,
} from './model/query.ts';
export type {
  EventMeta,
  EventRecord,
  EventType,
  JsErrorDelta,
  JsErrorSummary,
  SessionRecord,
  VisitorRecord,
  WebsiteConfig,
} from './model/records.ts';
export { MAX_ERROR_PAGES } from './model/records.ts';
export type { WebsiteInput } from './model/website-input.ts';
export { websiteFromInput } from './model/website-input.ts';
export type { WriteBatch } from './model/write-batch.ts';
export { batchIsEmpty, emptyBatch } from './model/write-batch.ts';
export * from './net/index.ts';
export type { TrustProxySetting } from './net/trust-proxy.ts';
export { createSkopos } from './pipeline/create-skopos.ts';
export type { DropRange, DropWindow } from './pipeline/drop-history.ts';
export { createProxyHint } from './pipeline/proxy-hint.ts';
export { DEFAULT_IDENTITY_WINDOW } from './pipeline/recent-events.ts';
export type { RequestTracker, TrackerFramework, TrackerOptions } from './pipeline/request-tracker.ts';
export { createRequestTracker } from './pipeline/request-tracker.ts';
export type { WaitUntil } from './pipeline/serverless.ts';
export { finishInWaitUntil, flushForRequest, keptAlive } from './pipeline/serverless.ts';
export type { DroppedCall, StoreUnavailable } from './pipeline/settle.ts';
export { notifyDroppedCall, settleCall } from './pipeline/settle.ts';
export { TrackThrew, trackSettled } from './pipeline/track-settled.ts';
export type * from './pipeline/types.ts';
export * from './queue/index.ts';
export type { ActivityInput, SessionState } from './session/engagement.ts';
export {
  applyActivity,
  ENGAGED_DURATION_S,
  ENGAGED_PAGE_VIEWS,
  hasPageViews,
  isBounce,
  isShortSession,
  SHORT_SESSION_S,
} from './session/engagement.ts';
export type { MemorySessionStoreOptions } from './session/memory-session-store.ts';
export { memorySessionStore } from './session/memory-session-store.ts';
export type {
  CommitResult,
  SessionCommit,
  SessionStore,
  SharedSession,
  VersionedSession,
} from './session/session-store.ts';
export type { LiveSession } from './session/session-tracker.ts';
export { SessionTracker } from './session/session-tracker.ts';
export * from './stats/index.ts';
export type { Store, WebsiteListener } from './store/store.ts';
export type { SendOptions, SendResult, Transport } from './transport/transport.ts';
/**
 * For store authors: coalesce point look-ups (`getVisitor`, `findSession`, `knownEvents`) that
 * arrive within `LOOKUP_WINDOW_MS` into one request per website and chunk of keys. A store whose
 * request costs more than its rows (HTTP round trip, FINAL) should answer these through it.
 */
export type { BatchedLookup, BatchedLookupOptions, LoadChunk } from './util/batched-lookup.ts';
export {
  chunksOf,
  createBatchedLookup,
  DEFAULT_LOOKUP_CHUNK,
  LOOKUP_WINDOW_MS,
} from './util/batched-lookup.ts';
export { createHmacSha256, sha256Hex } from './util/hash.ts';
export type { HeaderSource } from './util/headers.ts';
export { getHeader } from './util/headers.ts';
export { ID_LENGTH, idFromKey, isRecordId, newId } from './util/ids.ts';
export { parseIsoInstant } from './util/iso-instant.ts';
export { LruCache } from './util/lru.ts';
export type { MaybePromise } from './util/maybe-promise.ts';
export * from './validation/index.ts';
export type {
  ApiEventPayload,
  SanitizedEvent,
  SanitizedMonitorEvent,
  TrackerEvent,
  ValidationIssue,
  ValidationResult,
} from './validation/payload-types.ts';
export type { VisitorHasher, VisitorIds } from './visitor/visitor-hasher.ts';
export { createVisitorHasher } from './visitor/visitor-hasher.ts';
export type { VisitorIdMode } from './visitor/visitor-id.ts';
