import type { PipelineJournal } from '../journal/pipeline-journal.ts';
import { prepareServerEvent } from '../mapping/to-prepared.ts';
import { eventIdIssue } from '../validation/event-id.ts';
import { validateCustomData, validateEventName, validateUserData } from '../validation/index.ts';
import { type ClientFacts, clientDropReason } from './client-rules.ts';
import type { Failure, IntakeFailures } from './intake-failures.ts';
import type { Recorder } from './recorder.ts';
import { serverReferrer } from './server-referrer.ts';
import type { CompiledSite } from './site-cache.ts';
import type { createSiteGate } from './site-gate.ts';
import type { RequestContext, Skopos, TrackResult } from './types.ts';

export interface ServerIntakeDeps {
  failures: IntakeFailures;
  loadSite: ReturnType<typeof createSiteGate>;
  clientOf(request: RequestContext | undefined, hostname: string): ClientFacts;
  recorder: Recorder;
  pipelineJournal: PipelineJournal | undefined;
  isClosing(): boolean;
  syncJournal(): Promise<void>;
  durable(result: TrackResult): Promise<TrackResult>;
}

/** The calls the caller's backend makes: `trackServer` and `identify`. */
export function createServerIntake(deps: ServerIntakeDeps): Pick<Skopos, 'trackServer' | 'identify'> {
  const { loadSite, clientOf, recorder, pipelineJournal, isClosing, syncJournal, durable } = deps;
  const { shutDown, invalid, clientDrop } = deps.failures;

  /** Site and client rules for calls made by the caller's backend (no hostname or bot check). */
  async function admitServerSide(
    siteId: string,
    request: RequestContext | undefined,
    now: number,
    eventType?: string,
  ): Promise<{ site: CompiledSite; client: ClientFacts } | Failure> {
    const loaded = loadSite(siteId, now, eventType);
    const site = loaded instanceof Promise ? await loaded : loaded;
    if ('ok' in site) return site;
    const client = clientOf(request, '');
    const drop = clientDropReason(site, client, null);
    return drop ? clientDrop(drop, siteId, eventType) : { site, client };
  }

  return {
    async trackServer(input) {
      await pipelineJournal?.recovering;
      if (isClosing()) return shutDown(input.siteId, 'custom');
      const now = input.now ?? Date.now();
      const name = validateEventName(input.eventName, 'eventName');
      const data = validateCustomData(input.customData, 'customData');
      const idIssue = input.eventId === undefined ? undefined : eventIdIssue(input.eventId, 'eventId');
      if (!name.ok || !data.ok || idIssue) {
        const issues = [...(name.ok ? [] : name.issues), ...(data.ok ? [] : data.issues)];
        if (idIssue) issues.push(idIssue);
        return invalid('invalid server event', issues, input.siteId, 'custom');
      }
      // Server events skip the hostname and bot checks: the caller's backend sent them.
      const admitted = await admitServerSide(input.siteId, input.request, now, 'custom');
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const referrer = serverReferrer(input.referrer, site, input.request);
      const event = prepareServerEvent(name.value, data.value, input.path, referrer);
      if (input.eventId !== undefined) event.clientEventId = input.eventId;
      const time = { at: now, adjusted: false, clientTimed: false };
      return durable(await recorder.record(site, client, event, time, now));
    },

    async identify(input) {
      await pipelineJournal?.recovering;
      if (isClosing()) return shutDown(input.siteId);
      const now = input.now ?? Date.now();
      const user = validateUserData(input.userId, input.userData);
      if (!user.ok) return invalid('invalid identify call', user.issues, input.siteId, undefined, false);
      const admitted = await admitServerSide(input.siteId, input.request, now);
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const visitorId = await recorder.identify(site, client, user.value, now);
      if (typeof visitorId !== 'string') return visitorId;
      await syncJournal();
      return { ok: true, visitorId };
    },
  };
}
