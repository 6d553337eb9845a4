import { createSkopos, type SkoposOptions, type Store, silentLogger } from '@skopos/core';
import PocketBase from 'pocketbase';
import { SUPERUSER } from './pocketbase-harness.ts';

export { BROWSER_UA, browserRequest } from './pocketbase-harness.ts';

/**
 * The collections a PocketBase runs when the original Skopos SDK and its dashboard (Alpha System
 * Skopos, 0.54) write to it, reduced to the fields the SDK touches, with their types as that
 * dashboard's schema declares them: `events.type` a select of the dashboard's own types,
 * `session`/`visitor`/`website` relations, screen sizes as text, `created`/`updated` autodates, its indexes on those fields (none
 * unique; PocketBase refuses a second index of the same definition under another name),
 * superuser-only rules. A user switching SDKs keeps this PocketBase: the store must write into it.
 */
export const ORIGINAL_EVENT_TYPES = ['pageView', 'custom', 'click', 'form_submission', 'revenue'];

const text = (name: string) => ({ name, type: 'text' });
const relation = (name: string, collectionId: string) => ({
  name,
  type: 'relation',
  collectionId,
  maxSelect: 1,
  cascadeDelete: false,
});
const closed = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
/** PocketBase's record times, which that dashboard reads periods, durations and retention by. */
const autodates = [
  { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
  { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
];

export async function deployOriginalSkoposSchema(pb: PocketBase): Promise<void> {
  const create = async (name: string, fields: object[], indexes: string[] = []) =>
    (
      await pb.collections.create({
        name,
        type: 'base',
        fields: [...fields, ...autodates],
        indexes,
        ...closed,
      })
    ).id;
  const websites = await create(
    'websites',
    [
      relation('user', '_pb_users_auth_'),
      text('name'),
      text('domain'),
      text('trackingId'),
      { name: 'dataRetentionDays', type: 'number' },
      { name: 'isArchived', type: 'bool' },
      { name: 'disableLocalhostTracking', type: 'bool' },
      { name: 'ipBlacklist', type: 'json' },
    ],
    ['CREATE INDEX `idx_EbvgIwQP1t` ON `websites` (`trackingId`)'],
  );
  const visitors = await create(
    'visitors',
    [
      relation('website', websites),
      text('visitorId'),
      text('userId'),
      text('name'),
      text('phone'),
      { name: 'metadata', type: 'json' },
    ],
    [
      'CREATE INDEX `idx_hnQBpD5jHQ` ON `visitors` (\n  `visitorId`,\n  `website`\n)',
      'CREATE INDEX `idx_H60ZpWCkNl` ON `visitors` (`website`)',
    ],
  );
  const sessions = await create(
    'sessions',
    [
      relation('website', websites),
      relation('visitor', visitors),
      ...['browser', 'os', 'device', 'screenWidth', 'screenHeight', 'language'].map(text),
      ...['entryPath', 'exitPath', 'referrer', 'country', 'state'].map(text),
      { name: 'isNewVisitor', type: 'bool' },
    ],
    [
      'CREATE INDEX `idx_7RNsRkdQi5` ON `sessions` (`visitor`)',
      'CREATE INDEX `idx_i9mVA5cWI0` ON `sessions` (\n  `website`,\n  `country`\n)',
    ],
  );
  await create(
    'events',
    [
      relation('session', sessions),
      { name: 'type', type: 'select', maxSelect: 1, values: ORIGINAL_EVENT_TYPES },
      text('path'),
      text('eventName'),
      { name: 'eventData', type: 'json' },
    ],
    ['CREATE INDEX `idx_CcWW4w5tS8` ON `events` (\n  `type`,\n  `eventName`\n)'],
  );
  await create(
    'js_errors',
    [
      relation('session', sessions),
      relation('website', websites),
      ...['errorHash', 'errorMessage', 'stackTrace', 'url'].map(text),
      { name: 'count', type: 'number' },
      { name: 'lastSeen', type: 'date' },
    ],
    [
      'CREATE INDEX `idx_rJAQlEwQIa` ON `js_errors` (`session`)',
      'CREATE INDEX `idx_tlEB63GAXm` ON `js_errors` (\n  `errorHash`,\n  `website`\n)',
    ],
  );
}

/** A superuser client of the server at `url`. */
export async function superuserClient(url: string): Promise<PocketBase> {
  const admin = new PocketBase(url);
  await admin.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
  return admin;
}

/** The pipeline over `store`, writing only when flushed (or shut down) and quiet. */
export const quietPipeline = (store: Store, extra: Partial<SkoposOptions> = {}) =>
  createSkopos({ store, logger: silentLogger, batchInterval: 60_000, shutdownTimeoutMs: 5_000, ...extra });
