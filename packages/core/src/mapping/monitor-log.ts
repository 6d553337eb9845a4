import type { PathOptions } from '../detect/path.ts';
import type { EventRecord, WebsiteConfig } from '../model/records.ts';
import { storedEvent } from '../pipeline/stored-event.ts';
import { idFromKey } from '../util/ids.ts';
import { validateMonitorEvent } from '../validation/monitor-event.ts';
import { prepareMonitorEvent } from './to-prepared.ts';

/**
 * A vite-plugin-monitor `TrackerEvent` that its own server kept (a line of its `json` log files)
 * as the event Skopos would have stored for it on `site`, or `undefined` when it is not one (or
 * has no readable `timestamp`). Its time is the client's, as that server kept it; the event id is
 * derived from the event (its `id`, else its content) and the session from its `sessionId`, so
 * reading the same files again gives the same events. No visitor or session row is made: there
 * was no request to tell visitors apart, so the events count in reads (vite-plugin-monitor's
 * dashboard), not in Skopos' visitor stats.
 *
 * @example
 * const site = await store.getWebsite('my-app');
 * const event = site && recordFromMonitorEvent(JSON.parse(line), site);
 */
export function recordFromMonitorEvent(
  input: unknown,
  site: WebsiteConfig,
  rules: PathOptions = {},
): EventRecord | undefined {
  const valid = validateMonitorEvent(input);
  if (!valid.ok) return undefined;
  const event = valid.value;
  const at = event.clientTime;
  if (at === undefined || !Number.isFinite(at)) return undefined;
  const prepared = prepareMonitorEvent(event, rules);
  const session = idFromKey(`monitor-log-session\u0000${site.id}\u0000${event.sessionId ?? ''}`);
  return storedEvent(site, session, prepared, { at, adjusted: false, clientTimed: true }, at);
}
