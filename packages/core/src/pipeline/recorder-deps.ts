import type { UaParser } from '../detect/index.ts';
import type { GeoLookup } from '../geo/geo-lookup.ts';
import type { SessionJournal } from '../journal/session-journal.ts';
import type { Logger } from '../logger.ts';
import type { EventTime } from '../mapping/event-time.ts';
import type { WriteQueue } from '../queue/index.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { Store } from '../store/store.ts';
import type { VisitorHasher, VisitorIds } from '../visitor/visitor-hasher.ts';
import type { ClientFacts } from './client-rules.ts';
import type { PipelineTally } from './counters.ts';
import type { DropReporter } from './drops.ts';
import type { PreparedEvent } from './prepared-event.ts';
import type { CompiledSite } from './site-cache.ts';

export interface RecorderDeps {
  store: Store;
  logger: Logger;
  queue: WriteQueue;
  tally: PipelineTally;
  /** Counts, logs and answers the events the recorder refuses (queue full, shutting down). */
  drops: DropReporter;
  hasher: VisitorHasher;
  geo: GeoLookup;
  uaParser: UaParser;
  sessionTimeoutMs: number;
  maxSessions: number;
  /** Identities each site remembers, and how far back clients re-send (ms). */
  identityWindow: { perSite: number; horizonMs: number };
  /** Whether a site discards short sessions, answered synchronously from the site cache. */
  discardsShortSessions(trackingId: string): boolean;
  /** True once shutdown started: an event that was awaiting its session is refused then. */
  isClosing(): boolean;
  /** With a journal: where changed sessions are noted, journaled once per commit. */
  sessionJournal?: SessionJournal | undefined;
  /** Live sessions shared with other ingest processes (see `SkoposOptions.sessions`). */
  sharedSessions?: SessionStore | undefined;
}

/** One event on its way to its session: handed to `recentEvents.once` instead of closures over it. */
export interface Recording {
  readonly site: CompiledSite;
  readonly client: ClientFacts;
  readonly event: PreparedEvent;
  readonly time: EventTime;
  readonly receivedAt: number;
  readonly ids: VisitorIds;
  readonly identity: string | undefined;
}
