import type { BotSignal } from '../detect/index.ts';
import type { Logger } from '../logger.ts';
import type { ValidationIssue } from '../validation/payload-types.ts';
import { stripControlChars, truncate } from '../validation/text.ts';
import { DROP_STATUS, type PipelineTally } from './counters.ts';
import type { DropReason, SkoposDrop, TrackResult } from './types.ts';

type Failure = Extract<TrackResult, { ok: false }>;

/** Characters of a client's own value (a site id, a hostname, a field path) a detail repeats. */
const VALUE_MAX = 64;
/** Characters of the user agent a log line shows. */
const UA_LOG_MAX = 120;
/** Fields an `invalid: …` detail names. */
const FIELDS_MAX = 3;
/** Kinds of drop logged once each; made-up field names cannot turn the once-per-kind line into a flood. */
const LOGGED_KINDS_MAX = 64;

/** `value` cut to `max` characters, ending in `…` when it was longer. */
export function cutValue(value: string, max = VALUE_MAX): string {
  // Client input reaches logs and hooks through here: no control characters (fake log lines, ANSI).
  const clean = stripControlChars(value);
  return clean.length <= max ? clean : `${truncate(clean, max)}…`;
}

/** Where to start when a test client is taken for a bot: appended to the first bot drop's log line. */
export const BOT_TEST_HINT =
  "Testing by hand? With curl, send a browser User-Agent and Accept-Language: curl -H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' -H 'Accept-Language: en' …; in a headless browser (Playwright, Puppeteer), set a normal user agent and a locale.";

const botDetails = new Map<readonly BotSignal[], string>();

/**
 * Details of each drop, for people. Each names the check that refused the event; a client's own
 * values (site id, hostname, field path) are cut to 64 characters so that a detail stays small.
 */
export const DropDetail = {
  /** `bot: user-agent`, `bot: missing accept-language, no fetch metadata`… (`signals` from `BotDetector.explain`). */
  bot(signals: readonly BotSignal[], threshold: number): string {
    let detail = botDetails.get(signals);
    if (detail === undefined) {
      // Only a botThreshold of 0 makes a bot of a request that shows no signal.
      detail = signals.length > 0 ? `bot: ${signals.join(', ')}` : `bot: botThreshold is ${threshold}`;
      // The detector shares one frozen list per signal combination: at most a few hundred.
      if (signals.length > 0) botDetails.set(signals, detail);
    }
    return detail;
  },
  ipBlacklisted: 'blacklisted ip',
  /** `invalid: url`, `invalid: customData.a, name` (the fields validation reported). */
  invalid(issues: readonly ValidationIssue[]): string {
    const fields = [...new Set(issues.map((issue) => cutValue(issue.field)))];
    const named = fields.slice(0, FIELDS_MAX).join(', ');
    return `invalid: ${named || 'payload'}${fields.length > FIELDS_MAX ? ', …' : ''}`;
  },
  domainMismatch(hostname: string, domain: string): string {
    return `domain mismatch: page host ${cutValue(hostname)} is not ${cutValue(domain)} or one of its subdomains`;
  },
  localhostIp: 'localhost: request from a loopback address, and the site has disableLocalhostTracking on',
  localhostPage: 'localhost: page on a local hostname, and the site has disableLocalhostTracking on',
  unknownSite: (siteId: string) => `unknown site: ${cutValue(siteId)}`,
  archived: (siteId: string) => `archived site: ${cutValue(siteId)}`,
  queueFull: 'queue full: the store is failing and the event queue reached maxQueueSize',
  rowsFull:
    'queue full: the store is failing and maxQueueSize session and visitor rows wait; new sessions and visitors are refused',
  shutDown: 'shutting down',
} as const;

/** What a drop says besides its reason. */
export interface DropInfo {
  detail: string;
  /**
   * What counts as the same kind of drop for the once-per-kind log line (default: the detail); a
   * detail naming a client's value (a site id, a hostname) is grouped by its reason instead.
   */
  kind?: string | undefined;
  site?: string | undefined;
  eventType?: string | undefined;
  issues?: ValidationIssue[] | undefined;
  /** Shown after the detail in the log line only, e.g. the user agent of a bot. */
  context?: string | undefined;
}

/** A user agent as a log line shows it. */
export function userAgentContext(userAgent: string): string {
  return userAgent === '' ? 'no user-agent' : cutValue(userAgent, UA_LOG_MAX);
}

/** The log-once kind of an `invalid` drop: its first field's top-level name (`customData`, `url`). */
export function invalidKind(issues: readonly ValidationIssue[]): string {
  const field = issues[0]?.field ?? 'payload';
  return `invalid: ${cutValue(field.split(/[.[]/, 1)[0] || field)}`;
}

export interface DropReporterDeps {
  logger: Logger;
  tally: PipelineTally;
  onDrop?: ((drop: SkoposDrop) => void) | undefined;
}

export type DropReporter = ReturnType<typeof createDropReporter>;

/**
 * Every refusal of the pipeline goes through `fail`: it is counted, logged at debug level, logged
 * once per kind at info level (later ones are only counted), handed to `onDrop`, and answered with
 * its reason, status and detail.
 */
export function createDropReporter({ logger, tally, onDrop }: DropReporterDeps) {
  const logged = new Set<string>();
  let onDropFailed = false;

  function logOnce(reason: DropReason, info: DropInfo): void {
    const kind = info.kind ?? info.detail;
    if (logged.has(kind) || logged.size >= LOGGED_KINDS_MAX) return;
    logged.add(kind);
    const context = info.context === undefined ? '' : ` (${info.context})`;
    const hint = reason === 'bot' ? ` ${BOT_TEST_HINT}` : '';
    logger.info(
      `dropped an event: ${info.detail}${context} — further drops for this reason are counted, not logged; see counters().${hint}`,
      info.site === undefined ? { reason } : { reason, site: cutValue(info.site) },
    );
  }

  function onDropError(error: unknown): void {
    if (onDropFailed) return;
    onDropFailed = true;
    logger.warn(
      `the onDrop option threw: ${String(error)}; tracking goes on, and later onDrop errors are not logged`,
    );
  }

  function notify(drop: SkoposDrop): void {
    if (onDrop === undefined) return;
    try {
      const returned = onDrop(drop) as unknown;
      if (returned instanceof Promise) returned.catch(onDropError);
    } catch (error) {
      onDropError(error);
    }
  }

  function answer(reason: DropReason, message: string, info: DropInfo): Failure {
    const failure: Failure = { ok: false, reason, status: DROP_STATUS[reason], message, detail: info.detail };
    if (info.issues) failure.issues = info.issues;
    return failure;
  }

  return {
    fail(reason: DropReason, message: string, info: DropInfo): Failure {
      tally.drop(reason);
      logger.debug(`event dropped: ${reason}`, { message, detail: info.detail });
      logOnce(reason, info);
      const failure = answer(reason, message, info);
      if (onDrop !== undefined) {
        const drop: SkoposDrop = { reason, detail: info.detail };
        if (info.site !== undefined) drop.site = cutValue(info.site);
        if (info.eventType !== undefined) drop.eventType = cutValue(info.eventType);
        notify(drop);
      }
      return failure;
    },
    /**
     * The same answer, neither counted nor reported: for a tab's engagement signal (`signalOnly`),
     * which is not an event, so that a bot's or a foreign page's signals do not inflate the drops.
     */
    refuse: answer,
  };
}
