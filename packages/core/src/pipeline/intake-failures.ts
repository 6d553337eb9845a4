import type { ValidationIssue } from '../validation/payload-types.ts';
import type { ClientDrop } from './client-rules.ts';
import type { PipelineTally } from './counters.ts';
import { DropDetail, type DropInfo, type DropReporter, invalidKind } from './drops.ts';
import type { SiteCache } from './site-cache.ts';
import type { DropReason, TrackResult } from './types.ts';

export type Failure = Extract<TrackResult, { ok: false }>;

/** The `type` an unvalidated payload names, for `onDrop` (absent unless a string). */
export function payloadType(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const type = (payload as { type?: unknown }).type;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

interface IntakeFailureDeps {
  drops: DropReporter;
  sites: SiteCache;
  tally: PipelineTally;
}

/** The refusals the intake answers with, each reported through the drop reporter. */
export function createIntakeFailures({ drops, sites, tally }: IntakeFailureDeps) {
  const fail = (reason: DropReason, message: string, info: DropInfo): Failure =>
    drops.fail(reason, message, info);

  const shutDown = (site: string | undefined, eventType?: string): Failure =>
    fail('shut_down', 'Skopos is shutting down', { detail: DropDetail.shutDown, site, eventType });

  const invalid = (
    message: string,
    issues: ValidationIssue[],
    site: string,
    eventType: string | undefined,
    isEvent = true,
  ): Failure => {
    // An event (not an identify call) counts against its site, only when the site is already
    // known: a bad payload never loads a site.
    const known = isEvent ? sites.peek(site) : undefined;
    if (known) tally.siteDropped(known.config.id, 'invalid', Date.now());
    return fail('invalid', message, {
      detail: DropDetail.invalid(issues),
      kind: invalidKind(issues),
      site,
      eventType,
      issues,
    });
  };

  const clientDropInfo = (drop: ClientDrop, site: string, eventType?: string): DropInfo => ({
    detail: drop.detail,
    context: drop.context,
    site,
    eventType,
  });

  const clientDrop = (drop: ClientDrop, site: string, eventType?: string): Failure =>
    fail(drop.reason, `dropped: ${drop.reason}`, clientDropInfo(drop, site, eventType));

  /**
   * A refusal of an event of a known site (`website`, its record id), counted against it for the
   * dashboard. A tab's engagement signal (`signal`) gets the same answer but is counted nowhere and
   * not reported: it is not an event, and a bot's signals would inflate the drops.
   */
  const siteDrop = (
    website: string,
    signal: boolean,
    now: number,
    reason: DropReason,
    message: string,
    info: DropInfo,
  ): Failure => {
    if (signal) return drops.refuse(reason, message, info);
    tally.siteDropped(website, reason, now);
    return fail(reason, message, info);
  };

  return { fail, shutDown, invalid, clientDrop, clientDropInfo, siteDrop };
}

export type IntakeFailures = ReturnType<typeof createIntakeFailures>;
