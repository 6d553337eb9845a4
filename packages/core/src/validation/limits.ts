/**
 * Every validation limit in one place. "chars" are UTF-16 code units (`String#length`), "bytes"
 * are UTF-8 bytes. A `…MaxChars` limit rejects the value; a `…StoredChars` limit silently cuts
 * what is kept (the wire accepts more than we store so that long but honest values still count).
 */
export const LIMITS = Object.freeze({
  /** Body of one event (the original Skopos SDK: 64 KB, else `413`). Also the browsers' sendBeacon ceiling. */
  bodyMaxBytes: 65_536,
  /**
   * Body of a `{ "events": [...] }` batch. vite-plugin-monitor's client sends 25 events of up to
   * ~21 KB each with its default capture limits (10 console arguments of 1024 characters; HTTP
   * bodies of 2048), and re-sends a refused batch forever, which stops every later event of the tab.
   */
  batchBodyMaxBytes: 1_048_576,
  /** Events in one `{ "events": [...] }` batch; trackers flush every 25–50 (vite-plugin-monitor). */
  maxBatchEvents: 500,

  /** `url` on the wire (the original Skopos SDK). */
  urlMaxChars: 4096,
  /** `url` as stored (the original Skopos SDK). */
  urlStoredChars: 2048,
  /** `referrer` on the wire (the original Skopos SDK). */
  referrerMaxChars: 4096,
  /** `referrer` as stored: same as `url`, it is one. */
  referrerStoredChars: 2048,
  /** Custom event `name` on the wire (the original Skopos SDK: 1–255); also server event names. */
  nameMaxChars: 255,
  /** Event name as stored (the original Skopos SDK). */
  nameStoredChars: 100,
  /** `errorMessage` on the wire: generous, real messages may embed a URL or a value. */
  errorMessageMaxChars: 4096,
  /** `errorMessage` as stored: enough to tell errors apart in the dashboard. */
  errorMessageStoredChars: 1024,
  /** `stackTrace` on the wire (the original Skopos SDK). */
  stackTraceMaxChars: 16_384,
  /** `stackTrace` as stored (the original Skopos SDK). */
  stackTraceStoredChars: 4096,
  /** `language` on the wire (the original Skopos SDK). */
  languageMaxChars: 100,
  /** `language` as stored (the original Skopos SDK): the longest BCP 47 tag a browser reports. */
  languageStoredChars: 35,
  /** Screen sizes are clamped to this range (the original Skopos SDK), in CSS pixels. */
  screenMin: 0,
  screenMax: 10_000,

  /** `customData` as JSON (the original Skopos SDK: 8 KB). */
  customDataMaxBytes: 8192,
  /** Nesting of objects/arrays in `customData` (the object itself is level 1); bounds recursion. */
  customDataMaxDepth: 16,
  /** Problems reported for one `customData` value before the walk stops (bounds the 400 body). */
  customDataMaxIssues: 20,

  /** `siteId` of a batch event (a tracking id). */
  siteIdMaxChars: 100,
  /** `eventId` of a batch event; also limited to `[A-Za-z0-9_-]`. */
  eventIdMaxChars: 64,

  /** Visible seconds one engagement signal may report (a day: longer is a clock or tracker bug). */
  engagementMaxSeconds: 86_400,
  /**
   * vite-plugin-monitor `payload` as JSON on the wire (also what is read of its `context` and
   * `meta.userAttributes`). Above `payloadMaxBytes` its longest strings (captured bodies, console
   * arguments, stacks) are cut to fit, each ending in "…": the event is kept. Larger ones are
   * refused: fitting costs time in proportion (a few tens of ms a payload at this bound), and over
   * HTTP its client cannot send more than 64 KB anyway (browsers' `keepalive` limit).
   */
  payloadWireMaxBytes: 262_144,
  /** vite-plugin-monitor `payload` as JSON, as stored: room for captured HTTP headers and bodies. */
  payloadMaxBytes: 16_384,
  /** vite-plugin-monitor `meta` as JSON (user agent, route, user attributes…). */
  metaMaxBytes: 8192,
  /** vite-plugin-monitor `context` as JSON (same as `customData`). */
  contextMaxBytes: 8192,
  /** vite-plugin-monitor `sessionId` and `id` (client-made ids), and `groupId` as stored. */
  clientIdMaxChars: 128,
  /**
   * vite-plugin-monitor `userId` and `groupId` as sent: labels the app picks (the group id is built
   * from a user's label), which its own server stores whatever their length; longer ones than this
   * refuse the event, shorter ones are stored within `userIdMaxChars` / `clientIdMaxChars`
   * (`storedMonitorLabel`).
   */
  monitorLabelWireMaxChars: 4096,
  /** vite-plugin-monitor `timestamp` (an ISO 8601 string is 24–30 chars). */
  timestampMaxChars: 64,
  /** `meta.userAgent` as stored (longer ones are cut). */
  userAgentStoredChars: 512,
  /** Short `meta` labels as stored (`viewport`, `buildVersion`). */
  metaLabelStoredChars: 100,
  /** `identify` user id (1–255). */
  userIdMaxChars: 255,
  /** `identify` display name. */
  userNameMaxChars: 255,
  /** `identify` email: RFC 5321's longest address. */
  emailMaxChars: 320,
  /** `identify` phone number, free-form (extensions, spaces). */
  phoneMaxChars: 50,
  /** `identify` metadata as JSON (the original Skopos SDK: 8 KB). */
  metadataMaxBytes: 8192,
} as const);
