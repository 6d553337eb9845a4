/// <reference path="../pb_data/types.d.ts" />
// Skopos fast write and look-up routes for PocketBase (the JS hooks API of PocketBase 0.23+; tested on
// 0.30.4 and 0.40.4). Install: copy this file into the `pb_hooks/` directory next to your `pb_data/`
// (or start PocketBase with `--hooksDir`) and restart PocketBase. `@skopos/pocketbase-store` finds the
// routes on its first write and look-up, then sends a whole flush in one request instead of one
// sub-request per record through `/api/batch`, and the look-ups of many visitors in one request
// (POST /api/skopos/lookup, below).
//
// POST /api/skopos/write (superusers only) takes a Skopos `WriteBatch` as JSON:
//   { visitors, sessions, events, jsErrors, discardedSessions, writeId? }   (timestamps in epoch ms)
// and applies it in one transaction:
// - visitors: upsert by id (or by the unique (website, visitorId)); only present fields overwrite;
// - sessions: upsert of the full row;
// - events: insert; an id already stored is skipped, so a retried batch never duplicates;
// - jsErrors: merged into the (website, errorHash) row: count adds up, firstSeen/lastSeen widen,
//   pages become the union (first seen first, at most 20, as core's mergeErrorPages); a batch
//   whose `writeId` is already in `skopos_writes` merges nothing (a retry whose first answer was
//   lost: its counts are in); ids older than a day are deleted as new ones come. A write the batch
//   API applied in part (`<writeId>:<part>` keys) is answered 409 { code: 'skopos_write_in_parts' }
//   with nothing written: the store finishes it through the batch API;
// - discardedSessions: the sessions and their events are deleted (after everything else).
// Answers { ok: true, protocol: 2, writeIds: true, counts }. Protocol 2 (Skopos 0.2) writes the 0.2 event model
// (receivedAt, clockAdjusted, appId, level, clientSessionId, userId, groupId, context, payload,
// meta; sessions.pageViews; js_errors.pages); a store of another protocol does not use this route.
//
// Why it is fast: the request body is handed to SQLite as a bound parameter, parsed there once and
// split into its parts, and each kind of record is written by one INSERT … SELECT FROM json_each(…):
// no per-row JavaScript, no per-row statement, and no value is ever concatenated into SQL; a part
// with no rows runs no statement. Everything lives inside one handler function, registered for both
// routes, because PocketBase runs each handler in its own pooled VM, where other top-level names of
// this file are not visible; the two routes share its column lists and statements.
//
// POST /api/skopos/lookup (superusers only): what a pipeline asks before it opens a session, for
// many visitors at once and in one statement, instead of two filtered list requests (PocketBase CPU
// per looked-up visitor: ~0.2 ms through the list API). Takes
//   { website, visitorIds: [visitor hashes], visitors: [visitor row ids], since: 'YYYY-MM-DD HH:MM:SS.sssZ' }
// and answers { protocol: 2, visitors: [rows of website with those visitorIds], sessions: [for each
// of those visitor rows, its latest session active since `since`] }, rows as the list API gives them.
function skoposRoutes(e) {
  const PROTOCOL = 2;
  const body = toString(e.request.body);
  // The statements are built once per pooled VM and kept on its global object (named after the
  // protocol, whose statements it holds): building them took ~1.5 ms of PocketBase's CPU per
  // request, a quarter of an empty write. A VM that keeps no globals builds them each time. They
  // depend on which record times the tables have (see `buildStatements`): asked on every request
  // (one small statement), so that a field added or removed later is written, or no longer, at once.
  const TABLES = ['visitors', 'sessions', 'events', 'js_errors'];
  const STAMPS_SQL = `SELECT ${TABLES.map(
    (table) =>
      `COALESCE((SELECT group_concat(name) FROM pragma_table_info('${table}') WHERE name IN ('created', 'updated')), '')`,
  ).join(" || '|' || ")} AS stamps`;
  const stamps = new DynamicModel({ stamps: '' });
  $app.db().newQuery(STAMPS_SQL).one(stamps);
  const cached = globalThis.__skoposSqlV2;
  if (cached === undefined || cached.stamps !== stamps.stamps) {
    globalThis.__skoposSqlV2 = { stamps: stamps.stamps, sql: buildStatements(stamps.stamps) };
  }
  const sql = globalThis.__skoposSqlV2.sql;
  return e.request.url.path.endsWith('/lookup') ? lookup() : write();

  function write() {
    const counts = { visitors: 0, sessions: 0, events: 0, jsErrors: 0, discardedSessions: 0 };
    const parts = new DynamicModel({
      valid: 0,
      type: '',
      notArrays: 0,
      visitors: '',
      sessions: '',
      events: '',
      jsErrors: '',
      discardedSessions: '',
      writeId: '',
      visitorsCount: 0,
      sessionsCount: 0,
      eventsCount: 0,
      jsErrorsCount: 0,
      discardedSessionsCount: 0,
    });
    $app.db().newQuery(sql.PARTS_SQL).bind({ body }).one(parts);
    if (parts.valid !== 1 || parts.type !== 'object' || parts.notArrays !== 0) {
      throw new BadRequestError('[skopos] The body must be a Skopos WriteBatch as a JSON object.');
    }
    // Parts of this write were applied through the batch API (keys `<writeId>:<part>`, before a
    // restart that installed this hook): only that path knows which; nothing is written here.
    if (parts.jsErrorsCount > 0 && parts.writeId !== '' && writtenInParts(parts.writeId)) {
      return e.json(409, { ok: false, code: 'skopos_write_in_parts', protocol: PROTOCOL });
    }
    $app.runInTransaction((txApp) => {
      const db = txApp.db();
      const run = (statement, part) => db.newQuery(statement).bind({ body: part }).execute().rowsAffected();
      if (parts.visitorsCount > 0) {
        const visitors = new DynamicModel({ duplicates: 0, merges: 0 });
        db.newQuery(sql.DUPLICATES_SQL).bind({ body: parts.visitors }).one(visitors);
        if (visitors.duplicates > 0) {
          const each = arrayOf(new DynamicModel({ value: '' }));
          db.newQuery('SELECT value FROM json_each({:body})').bind({ body: parts.visitors }).all(each);
          for (const row of each) {
            counts.visitors += run(sql.VISITOR_INSERT_SQL, `[${row.value}]`);
            if (visitors.merges > 0) run(sql.VISITOR_MERGE_SQL, `[${row.value}]`);
          }
        } else {
          counts.visitors += run(sql.VISITOR_INSERT_SQL, parts.visitors);
          if (visitors.merges > 0) run(sql.VISITOR_MERGE_SQL, parts.visitors);
        }
      }
      if (parts.sessionsCount > 0) counts.sessions = run(sql.SESSION_SQL, parts.sessions);
      if (parts.eventsCount > 0) counts.events = run(sql.EVENT_SQL, parts.events);
      if (parts.jsErrorsCount > 0 && (parts.writeId === '' || firstWrite(db, parts.writeId))) {
        counts.jsErrors = run(sql.JS_ERROR_SQL, parts.jsErrors);
      }
      if (parts.discardedSessionsCount > 0) {
        run(sql.DELETE_EVENTS_SQL, parts.discardedSessions);
        counts.discardedSessions = run(sql.DELETE_SESSIONS_SQL, parts.discardedSessions);
      }
    });
    return e.json(200, { ok: true, protocol: PROTOCOL, writeIds: true, counts });
  }

  function writtenInParts(writeId) {
    const found = new DynamicModel({ parts: 0 });
    $app
      .db()
      .newQuery(sql.WRITE_PARTS_SQL)
      .bind({ from: `${writeId}:`, to: `${writeId};` })
      .one(found);
    return found.parts > 0;
  }

  // Records `writeId` in the write's transaction; false when it was there already (the batch's
  // counts are in). The index on `created` keeps the prune of day-old ids cheap on every write.
  function firstWrite(db, writeId) {
    if (db.newQuery(sql.WRITE_ID_SQL).bind({ writeId }).execute().rowsAffected() === 0) return false;
    db.newQuery(sql.PRUNE_WRITE_IDS_SQL).execute();
    return true;
  }

  function lookup() {
    const answer = new DynamicModel({ valid: 0, rows: '' });
    $app.db().newQuery(sql.LOOKUP_SQL).bind({ body }).one(answer);
    if (answer.valid !== 1) {
      throw new BadRequestError(
        '[skopos] The body must be { website, visitorIds: [...], visitors: [...], since } as JSON.',
      );
    }
    // The answer is JSON made by SQLite, sent as it is: parsing it into the VM and serialising it
    // again cost PocketBase three times as much CPU as the statement (`toBytes` is not in every
    // PocketBase this file supports: without it, the slow way).
    if (typeof toBytes !== 'function') return e.json(200, JSON.parse(answer.rows));
    return e.blob(200, 'application/json', toBytes(answer.rows));
  }

  // Every statement of both routes; called once per VM and set of record times (see `sql` above).
  // `stampColumns`: each table's `created`/`updated` columns, as `STAMPS_SQL` answers them.
  function buildStatements(stampColumns) {
    // PocketBase's date format `YYYY-MM-DD HH:MM:SS.sssZ` (UTC) from integer epoch ms, exactly.
    const pbDate = (col) =>
      `strftime('%Y-%m-%d %H:%M:%S', ${col} / 1000, 'unixepoch') || '.' || substr('00' || (${col} % 1000), -3) || 'Z'`;
    // One column of `json_each(...).value`: text ('' when absent), number, bool (0/1), integer ms,
    // integer ms or NULL (`optionalMs`), JSON object (NULL unless an object), JSON array ('[]'
    // unless an array), whether another key is present (`known`, its name third) or an optional
    // text (NULL when absent).
    const col = (name, type, from) => {
      const x = `json_extract(value, '$.${name}')`;
      if (type === 'text') return `COALESCE(${x}, '') AS ${name}`;
      if (type === 'num') return `COALESCE(${x}, 0) AS ${name}`;
      if (type === 'bool') return `(COALESCE(${x}, 0) != 0) AS ${name}`;
      if (type === 'ms') return `CAST(COALESCE(${x}, 0) AS INTEGER) AS ${name}`;
      if (type === 'optionalMs') return `CAST(${x} AS INTEGER) AS ${name}`;
      if (type === 'object')
        return `CASE json_type(value, '$.${name}') WHEN 'object' THEN ${x} END AS ${name}`;
      if (type === 'pages')
        return `CASE json_type(value, '$.${name}') WHEN 'array' THEN ${x} ELSE '[]' END AS ${name}`;
      if (type === 'known') return `(json_type(value, '$.${from}') IS NOT NULL) AS ${name}`;
      if (type === 'msOf') return `CAST(COALESCE(json_extract(value, '$.${from}'), 0) AS INTEGER) AS ${name}`;
      return `${x} AS ${name}`;
    };
    // core's mergeErrorPages in SQL: the pages of `earlier`, then the new non-empty pages of
    // `later`, each in its order and once, at most 20 (MAX_ERROR_PAGES).
    const mergedPages = (earlier, later) =>
      '(SELECT json_group_array(page ORDER BY pos) FROM (SELECT page, MIN(pos) AS pos FROM (' +
      `SELECT value AS page, key AS pos FROM json_each(COALESCE(${earlier}, '[]')) UNION ALL ` +
      `SELECT value, 1000000 + key FROM json_each(${later}) WHERE type = 'text' AND value != ''` +
      ') GROUP BY page ORDER BY pos LIMIT 20))';
    const rows = (columns) =>
      `(SELECT ${columns.map(([name, type, from]) => col(name, type, from)).join(', ')} FROM json_each({:body}))`;
    const select = (columns) =>
      columns
        .map(([name, type]) => {
          if (type === 'ms' || type === 'msOf') return pbDate(name);
          if (type === 'optionalMs') return `CASE WHEN ${name} IS NULL THEN '' ELSE ${pbDate(name)} END`;
          if (type === 'pages') return mergedPages("'[]'", name);
          return name;
        })
        .join(', ');
    const names = (columns) => columns.map(([name]) => name).join(', ');

    const VISITOR = [
      ['id', 'text'],
      ['website', 'text'],
      ['visitorId', 'text'],
      ['userId', 'optional'],
      ['name', 'optional'],
      ['email', 'optional'],
      ['phone', 'optional'],
      ['metadata', 'object'],
    ];
    const OPTIONAL = ['userId', 'name', 'email', 'phone', 'metadata'];
    const SESSION = [
      ['id', 'text'],
      ['website', 'text'],
      ['visitor', 'text'],
      ['browser', 'text'],
      ['os', 'text'],
      ['device', 'text'],
      ['screenWidth', 'num'],
      ['screenHeight', 'num'],
      ['language', 'text'],
      ['entryPath', 'text'],
      ['exitPath', 'text'],
      ['referrer', 'text'],
      ['utmSource', 'text'],
      ['utmMedium', 'text'],
      ['utmCampaign', 'text'],
      ['country', 'text'],
      ['state', 'text'],
      ['ipAddress', 'text'],
      ['isNewVisitor', 'bool'],
      ['eventCount', 'num'],
      ['pageViews', 'num'],
      // Rows written before 0.2 have none: the store reads them without a page-view count.
      ['pageViewsKnown', 'known', 'pageViews'],
      ['isEngaged', 'bool'],
      ['startedAt', 'ms'],
      ['lastActivityAt', 'ms'],
      ['duration', 'num'],
    ];
    const EVENT = [
      ['id', 'text'],
      ['session', 'text'],
      ['website', 'text'],
      ['type', 'text'],
      ['path', 'text'],
      ['eventName', 'text'],
      ['eventData', 'object'],
      ['timestamp', 'ms'],
      ['receivedAt', 'optionalMs'],
      ['clockAdjusted', 'bool'],
      ['appId', 'text'],
      ['level', 'text'],
      ['clientSessionId', 'text'],
      ['userId', 'text'],
      ['groupId', 'text'],
      ['context', 'object'],
      ['payload', 'object'],
      ['meta', 'object'],
    ];
    // The row id comes from the column default (PocketBase's own `'r' || 14 hex` expression).
    const JS_ERROR = [
      ['website', 'text'],
      ['session', 'text'],
      ['errorHash', 'text'],
      ['errorMessage', 'text'],
      ['stackTrace', 'text'],
      ['url', 'text'],
      ['count', 'num'],
      ['pages', 'pages'],
      ['firstSeen', 'ms'],
      ['lastSeen', 'ms'],
    ];

    // The original Skopos SDK's dashboard has PocketBase's `created`/`updated` on these tables, and
    // reads periods, durations (updated − created) and retention by them; rows written here by SQL
    // get no autodate, so they are set here: a session from its start to its last activity, an
    // event at its time, a JS error from first to last seen, a visitor when first stored. Skopos'
    // own schema has none (nothing to write).
    const columnsOf = (table) => (stampColumns.split('|')[TABLES.indexOf(table)] ?? '').split(',');
    const timeColumns = (table, created, updated) =>
      ['created', 'updated']
        .filter((name) => columnsOf(table).includes(name))
        .map((name) => [name, 'msOf', name === 'created' ? created : updated]);
    SESSION.push(...timeColumns('sessions', 'startedAt', 'lastActivityAt'));
    EVENT.push(...timeColumns('events', 'timestamp', 'timestamp'));
    JS_ERROR.push(...timeColumns('js_errors', 'firstSeen', 'lastSeen'));
    const VISITOR_STAMPS = columnsOf('visitors').filter((name) => name === 'created' || name === 'updated');

    // One parse of the whole body: its shape, and each part as its own JSON text, so that every
    // statement below parses only the part it writes.
    const KEYS = ['visitors', 'sessions', 'events', 'jsErrors', 'discardedSessions'];
    const PARTS_SQL =
      "SELECT json_valid(b) AS valid, COALESCE(json_type(b), '') AS type, " +
      KEYS.map((key) => `COALESCE(json_extract(b, '$.${key}'), '[]') AS ${key}`).join(', ') +
      `, ${KEYS.map((key) => `(COALESCE(json_type(b, '$.${key}'), 'array') != 'array')`).join(' + ')} AS notArrays, ` +
      // How many rows each part has: a statement whose part is empty is not run (preparing it
      // costs about as much as running it on a few rows).
      KEYS.map((key) => `COALESCE(json_array_length(b, '$.${key}'), 0) AS ${key}Count`).join(', ') +
      ", CASE json_type(b, '$.writeId') WHEN 'text' THEN json_extract(b, '$.writeId') ELSE '' END AS writeId" +
      ' FROM (SELECT {:body} AS b)';
    // `skopos_writes` ids, as the collection's fields and PocketBase's date format want them (the
    // row id from the column default).
    const NOW = "strftime('%Y-%m-%d %H:%M:%fZ', 'now')";
    const WRITE_ID_SQL = `INSERT INTO skopos_writes (writeId, created) VALUES ({:writeId}, ${NOW}) ON CONFLICT (writeId) DO NOTHING`;
    // `<writeId>:<part>` keys sort between `<writeId>:` and `<writeId>;` (';' follows ':'): an index range.
    const WRITE_PARTS_SQL =
      'SELECT COUNT(*) AS parts FROM skopos_writes WHERE writeId > {:from} AND writeId < {:to}';
    const PRUNE_WRITE_IDS_SQL = `DELETE FROM skopos_writes WHERE created < strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-1 day')`;
    // Visitor duplicates the set-based upsert cannot order: two rows for one visitor in one batch
    // are then merged one by one, in batch order. `merges`: rows with a field the merge writes
    // (none: the merge would change nothing, and is not run).
    const DUPLICATES_SQL =
      "SELECT (SELECT COUNT(*) - COUNT(DISTINCT json_extract(value, '$.id')) FROM json_each({:body})) + " +
      "(SELECT COUNT(*) - COUNT(DISTINCT json_extract(value, '$.website') || char(0) || json_extract(value, '$.visitorId')) " +
      'FROM json_each({:body})) AS duplicates, ' +
      `(SELECT COUNT(*) FROM ${rows(VISITOR)} AS v WHERE ${OPTIONAL.map((c) => `v.${c} IS NOT NULL`).join(' OR ')}) AS merges`;
    // Rows that relate to their website (visitors, sessions, js_errors) are written only while it
    // exists: SQL does not check the relation as the batch API does, and a website deleted while
    // its rows waited in a queue would leave them as orphans no retention or deletion ever finds.
    const WEBSITE_EXISTS = 'website IN (SELECT id FROM websites)';
    const VISITOR_INSERT_SQL =
      `INSERT INTO visitors (${[names(VISITOR), ...VISITOR_STAMPS].join(', ')}) SELECT id, website, visitorId, ` +
      "COALESCE(userId, ''), COALESCE(name, ''), COALESCE(email, ''), COALESCE(phone, ''), metadata" +
      `${VISITOR_STAMPS.map(() => `, ${NOW}`).join('')} ` +
      `FROM ${rows(VISITOR)} WHERE ${WEBSITE_EXISTS} ON CONFLICT DO NOTHING`;
    // Matched by the unique (website, visitorId): also merges into a row stored under another id.
    const VISITOR_MERGE_SQL =
      `UPDATE visitors SET ${OPTIONAL.map((c) => `${c} = COALESCE(v.${c}, visitors.${c})`).join(', ')} ` +
      `FROM ${rows(VISITOR)} AS v WHERE visitors.website = v.website AND visitors.visitorId = v.visitorId ` +
      `AND (${OPTIONAL.map((c) => `v.${c} IS NOT NULL`).join(' OR ')})`;
    const SESSION_SQL =
      `INSERT INTO sessions (${names(SESSION)}) SELECT ${select(SESSION)} FROM ${rows(SESSION)} ` +
      `WHERE ${WEBSITE_EXISTS} ON CONFLICT (id) DO UPDATE SET ${SESSION.slice(1)
        .map(([c]) => `${c} = excluded.${c}`)
        .join(', ')}`;
    const EVENT_SQL =
      `INSERT INTO events (${names(EVENT)}) SELECT ${select(EVENT)} FROM ${rows(EVENT)} ` +
      'WHERE true ON CONFLICT (id) DO NOTHING';
    const JS_ERROR_SQL =
      `INSERT INTO js_errors (${names(JS_ERROR)}) SELECT ${select(JS_ERROR)} FROM ${rows(JS_ERROR)} ` +
      `WHERE ${WEBSITE_EXISTS} ON CONFLICT (website, errorHash) DO UPDATE SET count = count + excluded.count, ` +
      "firstSeen = CASE WHEN firstSeen = '' OR excluded.firstSeen < firstSeen THEN excluded.firstSeen ELSE firstSeen END, " +
      `lastSeen = MAX(lastSeen, excluded.lastSeen), pages = ${mergedPages('js_errors.pages', 'excluded.pages')}` +
      (JS_ERROR.some(([name]) => name === 'created')
        ? ", created = CASE WHEN created = '' OR excluded.created < created THEN excluded.created ELSE created END"
        : '') +
      (JS_ERROR.some(([name]) => name === 'updated') ? ', updated = MAX(updated, excluded.updated)' : '');
    const DISCARDED = '(SELECT value FROM json_each({:body}))';
    // The look-up route's answer, as JSON made by SQLite: the rows as the list API gives them,
    // from the same column lists (bools as JSON booleans, JSON columns as JSON).
    const jsonColumn =
      (alias) =>
      ([name, type]) => {
        if (type === 'bool' || type === 'known')
          return `'${name}', json(CASE WHEN ${alias}.${name} THEN 'true' ELSE 'false' END)`;
        if (type === 'object')
          return `'${name}', CASE WHEN json_valid(${alias}.${name}) THEN json(${alias}.${name}) END`;
        return `'${name}', ${alias}.${name}`;
      };
    const VISITOR_JSON = `json_object(${VISITOR.map(jsonColumn('v')).join(', ')})`;
    const SESSION_JSON = `json_object(${SESSION.map(jsonColumn('s')).join(', ')})`;
    const valid =
      "json_valid(b) AND json_type(b, '$.website') = 'text' AND json_type(b, '$.since') = 'text' AND " +
      "json_type(b, '$.visitorIds') = 'array' AND json_type(b, '$.visitors') = 'array'";
    // `+s.website`: the site is checked on the rows, not used to pick them; with it as an index
    // key SQLite would read every session of the site (the visitor index finds a visitor's few).
    const LOOKUP_SQL =
      `SELECT (${valid}) AS valid, CASE WHEN ${valid} THEN json_object('protocol', ${PROTOCOL}, ` +
      `'visitors', (SELECT json_group_array(${VISITOR_JSON}) FROM visitors v WHERE v.website = json_extract(b, '$.website') ` +
      "AND v.visitorId IN (SELECT value FROM json_each(b, '$.visitorIds'))), " +
      `'sessions', (SELECT json_group_array(${SESSION_JSON}) FROM (SELECT *, ROW_NUMBER() OVER ` +
      '(PARTITION BY visitor ORDER BY lastActivityAt DESC, id DESC) AS latest FROM sessions ' +
      "WHERE visitor IN (SELECT value FROM json_each(b, '$.visitors')) AND +website = json_extract(b, '$.website') " +
      "AND lastActivityAt >= json_extract(b, '$.since')) AS s WHERE s.latest = 1)) ELSE '' END AS rows " +
      'FROM (SELECT {:body} AS b)';
    return {
      LOOKUP_SQL,
      PARTS_SQL,
      DUPLICATES_SQL,
      VISITOR_INSERT_SQL,
      VISITOR_MERGE_SQL,
      SESSION_SQL,
      EVENT_SQL,
      JS_ERROR_SQL,
      WRITE_ID_SQL,
      WRITE_PARTS_SQL,
      PRUNE_WRITE_IDS_SQL,
      DELETE_EVENTS_SQL: `DELETE FROM events WHERE session IN ${DISCARDED}`,
      DELETE_SESSIONS_SQL: `DELETE FROM sessions WHERE id IN ${DISCARDED}`,
    };
  }
}

routerAdd('POST', '/api/skopos/write', skoposRoutes, $apis.requireSuperuserAuth());
routerAdd('POST', '/api/skopos/lookup', skoposRoutes, $apis.requireSuperuserAuth());
