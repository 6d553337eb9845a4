import { captureTaggedClicks } from './clicks.ts';
import { captureErrors } from './errors.ts';
import { isOn } from './is-on.ts';
import { on } from './listen.ts';
import { pageUrlFactory } from './page-url.ts';
import { isBlocked } from './privacy.ts';
import { createSender, type Sender } from './sender.ts';
import type { Tracker, TrackerEvent, TrackerOptions } from './types.ts';

type EventType = TrackerEvent['type'];

/**
 * Starts tracking: page views (load, `pushState`/`replaceState`/`popstate`, back-forward cache,
 * optional hash routes), tagged clicks, uncaught errors and visible time per page, batched to the
 * write endpoint. No cookies and nothing stored; see the README for what is collected. `sender`
 * replaces the HTTP delivery (`@skopos/browser/ws` passes its WebSocket sender).
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 *
 * const skopos = createTracker({ site: 'my-app', writeEndpoint: 'https://stats.example.com/_tracker/events' });
 * skopos.track('signup', { plan: 'pro' });
 */
export function createTracker(
  options: TrackerOptions = {},
  sender: Sender = createSender(
    options.writeEndpoint || '/_tracker/events',
    options.apiKey,
    // `+` because the script tag passes its data-* strings as they are.
    +(options.batchSize as number) || 25,
    +(options.flushInterval as number) || 3000,
  ),
): Tracker {
  const pageUrl = pageUrlFactory(isOn(options.hashMode));
  let stopped = isBlocked(options);
  // The page events belong to: the last one viewed (in manual mode, the landing page until then).
  let current = pageUrl();
  let visibleSince = 0;

  const send = (type: EventType, fields?: Partial<TrackerEvent>): void => {
    if (stopped) return;
    sender.push({
      type,
      url: current,
      referrer: document.referrer,
      screenWidth: screen.width,
      screenHeight: screen.height,
      language: navigator.language,
      // Four random 32-bit words (≤ 43 chars `[0-9-]`): a re-sent batch is stored once. Not
      // `randomUUID`, which only secure origins have.
      eventId: crypto.getRandomValues(new Uint32Array(4)).join('-'),
      // The client's clock: the server keeps it as the event's time when it is believable, so
      // durations do not depend on when a batch happened to leave.
      ts: Date.now(),
      // JSON drops an undefined siteId or customData: the server then uses its own site.
      siteId: options.site as string,
      ...fields,
    });
  };
  const track = (name: string, data?: Record<string, unknown>): void =>
    send('custom', { name: `${name}`.slice(0, 255), customData: data as Record<string, unknown> });

  const resume = (): void => {
    visibleSince ||= document.hidden ? 0 : Date.now();
  };
  /**
   * The engagement signal: the visible time of the current page since it was last shown. Hiding
   * the page reports and resets it, so the clock only ever runs while the page is visible.
   */
  const exit = (): void => {
    if (visibleSince) send('engagement', { duration: (Date.now() - visibleSince) / 1000 });
    visibleSince = 0;
  };
  const pageview = (): void => {
    exit();
    current = pageUrl();
    send('pageView');
    resume();
  };
  const navigated = (): void => {
    if (pageUrl() !== current) pageview();
  };
  const leave = (): void => {
    exit();
    sender.flush(true);
  };

  if (!isOn(options.manual)) {
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      history[method] = (...args: Parameters<History['pushState']>) => {
        original.apply(history, args);
        navigated();
      };
    }
    // Fragment navigations (`#/route` links, `location.hash = …`) fire popstate too.
    on(window, 'popstate', navigated);
    // A back-forward cache restore is a new visit of a page whose script does not run again.
    on(window, 'pageshow', (event: PageTransitionEvent) => event.persisted && pageview());
    pageview();
  }
  on(document, 'visibilitychange', () => (document.hidden ? leave() : resume()));
  // Chromium drops beacons sent from pagehide during a navigation (measured); beforeunload's go out.
  on(window, 'pagehide', leave);
  on(window, 'beforeunload', leave);
  captureErrors((error) => send('jsError', error));
  captureTaggedClicks(track);

  return {
    track,
    pageview,
    flush: sender.flush,
    stop() {
      leave();
      stopped = true;
    },
  };
}
