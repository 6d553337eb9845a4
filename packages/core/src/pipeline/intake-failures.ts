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

  const clientDrop = (drop: ClientDrop, site: string, eventType?: string): Failure =>
    fail(drop.reason, `dropped: ${drop.reason}`, {
      detail: drop.detail,
      context: drop.context,
      site,
      eventType,
    });

  return { fail, refuse: drops.refuse, shutDown, invalid, clientDrop };
}

export type IntakeFailures = ReturnType<typeof createIntakeFailures>;
