import type { CollectionDef, FieldDef } from '../schema.ts';

/*
 * The PocketBase schema of Skopos 0.1, frozen as it shipped (src/schema.ts at commit 3f7d685), so
 * that the upgrade test starts from what 0.1 users have deployed, whatever the current schema is.
 */

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
const json = (name: string): FieldDef => ({ name, type: 'json', maxSize: 0 });
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

/** Skopos 0.1's collections. */
export const SCHEMA_0_1: CollectionDef[] = [
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
      bool('isEngaged'),
      date('startedAt'),
      date('lastActivityAt'),
      num('duration'),
    ],
    indexes: [
      'CREATE INDEX idx_sessions_website_startedAt ON sessions (website, startedAt)',
      'CREATE INDEX idx_sessions_visitor ON sessions (visitor)',
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
    ],
    indexes: [
      'CREATE INDEX idx_events_website_timestamp ON events (website, timestamp, id)',
      'CREATE INDEX idx_events_timestamp ON events (timestamp, id)',
      'CREATE INDEX idx_events_session ON events (session)',
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
      date('firstSeen'),
      date('lastSeen'),
    ],
    indexes: ['CREATE UNIQUE INDEX idx_js_errors_website_errorHash ON js_errors (website, errorHash)'],
    rules: SUPERUSER_ONLY,
  },
  {
    name: 'skopos_secrets',
    fields: [{ ...text('key'), required: true }, text('value', 4096)],
    indexes: ['CREATE UNIQUE INDEX idx_skopos_secrets_key ON skopos_secrets (key)'],
    rules: SUPERUSER_ONLY,
  },
];
