import { EVENT_LEVELS, LIMITS, MAX_ERROR_PAGES, MONITOR_EVENT_TYPES, SKOPOS_EVENT_TYPES } from '@skopos/core';

/** A PocketBase collection field as the collections API accepts it. */
export interface FieldDef {
  name: string;
  type: 'text' | 'number' | 'bool' | 'date' | 'json' | 'relation' | 'autodate';
  [option: string]: unknown;
}

export interface CollectionDef {
  name: string;
  fields: FieldDef[];
  /** `CREATE [UNIQUE] INDEX <name> ON <collection> (...)`; matched by index name. */
  indexes: string[];
  /**
   * Fields an existing deployment may hold as a `select` (the original Skopos dashboard's
   * `events.type`): the values it must allow for what Skopos writes there, added when missing.
   */
  selectValues?: Record<string, readonly string[]>;
  /** API rules; `null` = superuser only. `websites` is readable by its owner. */
  rules: Record<'listRule' | 'viewRule' | 'createRule' | 'updateRule' | 'deleteRule', string | null>;
}

/** The collection of applied JS-error `writeId`s (see `WriteLog`). */
export const WRITE_LOG = 'skopos_writes';

/** Superuser-only: analytics data is never exposed through the public records API. */
const SUPERUSER_ONLY = {
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
};

const OWNER_ONLY = '@request.auth.id != "" && owner = @request.auth.id';

const text = (name: string, max = 0): FieldDef => ({ name, type: 'text', max });
const num = (name: string): FieldDef => ({ name, type: 'number' });
const bool = (name: string): FieldDef => ({ name, type: 'bool' });
const date = (name: string): FieldDef => ({ name, type: 'date' });
/** `maxSize` in bytes of the stored JSON text; 0 = PocketBase's default (1 MB). */
const json = (name: string, maxSize = 0): FieldDef => ({ name, type: 'json', maxSize });
/** Placeholder target, replaced by the real collection id when the schema is deployed. */
const relation = (name: string, target: string, cascadeDelete: boolean): FieldDef => ({
  name,
  type: 'relation',
  collectionId: `@${target}`,
  maxSelect: 1,
  cascadeDelete,
});
/** Deleting a website removes its visitors, sessions and js_errors too (events: see below). */
const website = relation('website', 'websites', true);

const LEVEL_MAX = Math.max(...EVENT_LEVELS.map((level) => level.length));
/** Stored pages are cut paths; every UTF-16 unit is at most 3 bytes of JSON once control characters are gone. */
const ERROR_PAGES_MAX_BYTES = 2 + MAX_ERROR_PAGES * (LIMITS.urlStoredChars * 3 + 3);

/**
 * The Skopos schema (SPEC "Data model"). `session` and `visitor` references are plain text on
 * purpose: a relation makes PocketBase check the target on every insert (one more query per event)
 * and would reject a late event of a discarded session forever.
 */
export const SCHEMA: CollectionDef[] = [
  {
    name: 'websites',
    fields: [
      text('name'),
      text('domain'),
      { ...text('trackingId'), required: true },
      bool('disableLocalhostTracking'),
      bool('isArchived'),
      json('ipBlacklist'),
      bool('storeRawIp'),
      bool('discardShortSessions'),
      num('dataRetentionDays'),
      text('sdkVersion'),
      relation('owner', 'users', false),
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_websites_trackingId ON websites (trackingId)'],
    // A guest's `@request.auth.id` is '' and so is an unowned site's `owner`: require a signed-in user.
    rules: { ...SUPERUSER_ONLY, listRule: OWNER_ONLY, viewRule: OWNER_ONLY },
  },
  {
    name: 'visitors',
    fields: [
      website,
      text('visitorId'),
      text('userId'),
      text('name'),
      text('email'),
      text('phone'),
      json('metadata'),
    ],
    indexes: ['CREATE UNIQUE INDEX idx_visitors_website_visitorId ON visitors (website, visitorId)'],
    rules: SUPERUSER_ONLY,
  },
  {
    name: 'sessions',
    fields: [
      website,
      text('visitor'),
      ...['browser', 'os', 'device'].map((name) => text(name)),
      num('screenWidth'),
      num('screenHeight'),
      text('language'),
      text('entryPath', 4096),
      text('exitPath', 4096),
      text('referrer', 4096),
      ...['utmSource', 'utmMedium', 'utmCampaign', 'country', 'state', 'ipAddress'].map((name) => text(name)),
      bool('isNewVisitor'),
      num('eventCount'),
      num('pageViews'),
      // Rows written before 0.2 have no page-view count, and PocketBase reads a number column added
      // later as 0: this flag (false on those rows) lets them read back without one.
      bool('pageViewsKnown'),
      bool('isEngaged'),
      date('startedAt'),
      date('lastActivityAt'),
      num('duration'),
    ],
    indexes: [
      'CREATE INDEX idx_sessions_website_startedAt ON sessions (website, startedAt)',
      'CREATE INDEX idx_sessions_visitor ON sessions (visitor)',
      // The dashboard's "active now" (sessions by last activity), read on every stats poll.
      'CREATE INDEX idx_sessions_website_lastActivityAt ON sessions (website, lastActivityAt)',
    ],
    rules: SUPERUSER_ONLY,
  },
  {
    name: 'events',
    // Text, not a relation: PocketBase would look the website up for every inserted event
    // (measured: about a third of the insert cost on the hottest table).
    fields: [
      text('session'),
      text('website'),
      text('type'),
      text('path', 4096),
      text('eventName'),
      json('eventData'),
      date('timestamp'),
      date('receivedAt'),
      bool('clockAdjusted'),
      // A copy of websites.trackingId, which has PocketBase's default limit: a lower one here would
      // refuse every event of a site with a long tracking id.
      text('appId'),
      text('level', LEVEL_MAX),
      text('clientSessionId', LIMITS.clientIdMaxChars),
      text('userId', LIMITS.userIdMaxChars),
      text('groupId', LIMITS.clientIdMaxChars),
      // The limits core validates with (JSON text in UTF-8 bytes, as stored: see `eventBody`).
      json('context', LIMITS.contextMaxBytes),
      json('payload', LIMITS.payloadMaxBytes),
      json('meta', LIMITS.metaMaxBytes),
    ],
    // The original Skopos dashboard declares `type` a select of its own types (no `jsError`, none
    // of vite-plugin-monitor's): every write of another type would be refused there.
    selectValues: { type: [...new Set<string>([...SKOPOS_EVENT_TYPES, ...MONITOR_EVENT_TYPES])] },
    indexes: [
      'CREATE INDEX idx_events_website_timestamp ON events (website, timestamp, id)',
      'CREATE INDEX idx_events_timestamp ON events (timestamp, id)',
      'CREATE INDEX idx_events_session ON events (session)',
      // The read API's `sessionId` and `userId` filters (one tab's or one user's events). Events
      // without them all share the key '', so Skopos' own events add little to these trees.
      'CREATE INDEX idx_events_clientSessionId ON events (clientSessionId)',
      'CREATE INDEX idx_events_userId ON events (userId)',
    ],
    rules: SUPERUSER_ONLY,
  },
  {
    name: 'js_errors',
    fields: [
      website,
      text('session'),
      text('errorHash'),
      text('errorMessage', 20_000),
      text('stackTrace', 20_000),
      text('url', 4096),
      num('count'),
      json('pages', ERROR_PAGES_MAX_BYTES),
      date('firstSeen'),
      date('lastSeen'),
    ],
    indexes: ['CREATE UNIQUE INDEX idx_js_errors_website_errorHash ON js_errors (website, errorHash)'],
    rules: SUPERUSER_ONLY,
  },
  {
    // The `writeId`s of the JS-error batches applied in the last day: a retried batch (its first
    // answer lost) is recognised and adds nothing (see `WriteLog`).
    name: WRITE_LOG,
    fields: [
      { ...text('writeId', 64), required: true },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    ],
    indexes: [
      'CREATE UNIQUE INDEX idx_skopos_writes_writeId ON skopos_writes (writeId)',
      'CREATE INDEX idx_skopos_writes_created ON skopos_writes (created)',
    ],
    rules: SUPERUSER_ONLY,
  },
  {
    name: 'skopos_secrets',
    fields: [{ ...text('key'), required: true }, text('value', 4096)],
    indexes: ['CREATE UNIQUE INDEX idx_skopos_secrets_key ON skopos_secrets (key)'],
    rules: SUPERUSER_ONLY,
  },
];
