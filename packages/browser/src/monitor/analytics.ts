import { on } from '../listen.ts';
import { pageUrlFactory } from '../page-url.ts';
import type { TrackerEvent } from '../types.ts';

/** Skopos' own signals next to vite-plugin-monitor's events: page views and visible time per page. */
export interface PageAnalytics {
  /** The page changed: reports the time on the one left, then counts the new one when `count`. */
  moved(count: boolean): void;
  /** Page views of the load and every SPA route change (when no navigation tracker counts them). */
  countViews(): void;
  /** Starts (or restarts, after the page was hidden) the visible-time clock. */
  resume(): void;
  /** Sends the engagement signal of the current page and stops its clock. */
  exit(): void;
}

/**
 * The signals `tracker.ts` sends, in the same shape, so Skopos' sessions, bounce rate and durations
 * work for monitor users: core counts them, never stores the engagement signal as an event.
 */
export function pageAnalytics(siteId: string, send: (event: TrackerEvent) => void): PageAnalytics {
  const pageUrl = pageUrlFactory(false);
  let current = pageUrl();
  let visibleSince = 0;

  // The same fields as the core tracker's `send` (tracker.ts). Not shared: a common function made both
  // builds bigger (measured +14 B on the 1.5 KB core script, +46 B on the monitor page).
  const signal = (type: TrackerEvent['type'], fields?: Pick<TrackerEvent, 'duration'>): void =>
    send({
      type,
      url: current,
      referrer: document.referrer,
      screenWidth: screen.width,
      screenHeight: screen.height,
      language: navigator.language,
      // A re-sent batch is stored once.
      eventId: crypto.getRandomValues(new Uint32Array(4)).join('-'),
      ts: Date.now(),
      siteId,
      ...fields,
    });

  const analytics: PageAnalytics = {
    moved(count) {
      analytics.exit();
      current = pageUrl();
      if (count) signal('pageView');
      analytics.resume();
    },
    countViews() {
      const navigated = (): void => {
        if (pageUrl() !== current) analytics.moved(true);
      };
      // Never restored: a stopped client drops what they report, and restoring could undo a later patch.
      for (const method of ['pushState', 'replaceState'] as const) {
        const original = history[method];
        history[method] = (...args: Parameters<History['pushState']>) => {
          original.apply(history, args);
          navigated();
        };
      }
      on(window, 'popstate', navigated);
      // A back-forward cache restore is a new visit of a page whose script does not run again.
      on(window, 'pageshow', (event: PageTransitionEvent) => event.persisted && analytics.moved(true));
      signal('pageView');
    },
    resume() {
      visibleSince ||= document.hidden ? 0 : Date.now();
    },
    exit() {
      if (visibleSince) signal('engagement', { duration: (Date.now() - visibleSince) / 1000 });
      visibleSince = 0;
    },
  };
  return analytics;
}
