/**
 * The event vocabulary of both wire formats, in one place. Skopos' own tracker and the original
 * Skopos SDK send `pageView | custom | jsError`; vite-plugin-monitor's client sends
 * `click | http | error | navigation | console | custom | session`. Stores keep the type an event
 * arrived with; analytics read it through the classifiers below, so that a `navigation` counts as
 * a page view and an `error` as a JS error everywhere (stats, sessions, error fingerprints).
 */

/** Types of the Skopos browser payload (the original Skopos SDK's `trackApiEvent`). */
export const SKOPOS_EVENT_TYPES = ['pageView', 'custom', 'jsError'] as const;
export type EventType = (typeof SKOPOS_EVENT_TYPES)[number];

/** Types of vite-plugin-monitor's `TrackerEvent`. */
export const MONITOR_EVENT_TYPES = [
  'click',
  'http',
  'error',
  'navigation',
  'console',
  'custom',
  'session',
] as const;
export type MonitorEventType = (typeof MONITOR_EVENT_TYPES)[number];

/** Every type a stored event may have (stores may also hold types added later; treat others as opaque). */
export type StoredEventType = EventType | MonitorEventType;

/** Severity of an event (vite-plugin-monitor's `level`); Skopos' own events are `info` unless they are errors. */
export const EVENT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/**
 * The engagement signal of Skopos' tracker: the visible time of a page, reported when the page is
 * hidden or left. It updates the session (engagement, duration) and is never stored as an event.
 */
export const ENGAGEMENT_SIGNAL = 'engagement';

/**
 * The name under which Skopos' 0.1 tracker sent that signal as a custom event. Scripts of 0.1 still
 * in browsers' caches send it; core reads it as the signal, so it never shows as a user's event.
 */
export const LEGACY_PAGE_EXIT_EVENT = 'page-exit';

/**
 * Whether events of this type may be page views: `pageView`, and `navigation`, a page view of its
 * `to` when it leaves the page (`isPageView` tells which do).
 */
export function isPageViewType(type: string): boolean {
  return type === 'pageView' || type === 'navigation';
}

/** A route's page: its pathname, without the query and the fragment. */
function pageOf(route: string): string {
  const end = route.search(/[?#]/);
  return end === -1 ? route : route.slice(0, end);
}

/**
 * Whether an event is a page view: every `pageView`, every page load, and a `navigation` whose `to`
 * is another page than its `from`. vite-plugin-monitor's navigation tracker also reports moves
 * within a page (a `hashchange`, a `popstate` back to the same path): counted, one visit to
 * /pricing made 5 page views, and a one-page visit looked engaged instead of a bounce. A page is its
 * pathname, as SPA page views are counted elsewhere; a navigation without both ends counts.
 */
export function isPageView(event: {
  type: string;
  payload?: Readonly<Record<string, unknown>> | undefined;
}): boolean {
  return isPageViewOf(event.type, event.payload);
}

/** `isPageView` of an event's type and payload, for callers that hold them apart (no object per event). */
export function isPageViewOf(type: string, payload: Readonly<Record<string, unknown>> | undefined): boolean {
  if (type !== 'navigation') return type === 'pageView';
  const { from, to, trigger } = payload ?? {};
  if (trigger === 'load' || typeof from !== 'string' || typeof to !== 'string') return true;
  return pageOf(from) !== pageOf(to);
}

/** Whether events of this type are JS errors (merged into `js_errors` by fingerprint). */
export function isErrorType(type: string): boolean {
  return type === 'jsError' || type === 'error';
}

/**
 * Whether a stored event is a user's custom event (listed under "custom events"): a `custom` event
 * that is not the 0.1 tracker's page-exit signal (such rows remain in stores upgraded from 0.1).
 */
export function isUserCustomEvent(event: { type: string; eventName: string }): boolean {
  return event.type === 'custom' && event.eventName !== LEGACY_PAGE_EXIT_EVENT;
}

export function isMonitorEventType(value: unknown): value is MonitorEventType {
  return typeof value === 'string' && (MONITOR_EVENT_TYPES as readonly string[]).includes(value);
}

export function isEventLevel(value: unknown): value is EventLevel {
  return typeof value === 'string' && (EVENT_LEVELS as readonly string[]).includes(value);
}
