import type { SessionRecord } from '../model/records.ts';

/** A session is engaged from this many seconds of visible time (or span, for clients without a signal). */
export const ENGAGED_DURATION_S = 10;
/** Page views that engage a session. */
export const ENGAGED_PAGE_VIEWS = 2;
/** Shorter than this (and a single event) is a "short session" that sites may discard. */
export const SHORT_SESSION_S = 1;

/** A session row with what the pipeline knows of it beyond the row (kept in memory only). */
export interface SessionState {
  row: SessionRecord;
  /** Visible seconds reported by the tracker's engagement signals. */
  visibleSeconds: number;
  /** Whether a client reported visible time at all: then only that time counts, not the span. */
  reportsVisibleTime: boolean;
}

export interface ActivityInput {
  /** The event's time (the client's clock when believable). */
  at: number;
  /** Path of the event's page, '' for events without one. */
  path: string;
  /** The event says which page the visitor is on now: it becomes the exit page. */
  onPage: boolean;
  /** A page view (`pageView`, `navigation`). */
  pageView: boolean;
  /** A stored event (false for an engagement signal, which only updates the session). */
  stored: boolean;
  /** Visible seconds reported by this event (the tracker's engagement signal). */
  visibleSeconds?: number | undefined;
  /** A custom `duration` in seconds: engages at 10 s or more, without replacing the span rule. */
  reportedDuration?: number | undefined;
}

/**
 * Applies one event to a session in place (the row is then re-queued, coalesced per flush).
 * Engaged = ≥ 2 page views, or ≥ 10 s of visible time as reported by the tracker; for clients that
 * report none (vite-plugin-monitor, server-side calls), the span between their first and last
 * event stands for it. Duration = that span, by event times.
 */
export function applyActivity(state: SessionState, activity: ActivityInput): void {
  const session = state.row;
  if (activity.stored) session.eventCount += 1;
  if (activity.pageView) session.pageViews += 1;
  if (activity.at < session.startedAt) session.startedAt = activity.at;
  if (activity.at > session.lastActivityAt) session.lastActivityAt = activity.at;
  // A late event (an earlier time than the latest seen) does not move the visitor back a page.
  if (activity.onPage && activity.path && activity.at >= session.lastActivityAt)
    session.exitPath = activity.path;
  const spanMs = session.lastActivityAt - session.startedAt;
  const span = Math.round(spanMs / 1000);
  if (span > session.duration) session.duration = span;
  if (activity.visibleSeconds !== undefined) {
    state.reportsVisibleTime = true;
    state.visibleSeconds += activity.visibleSeconds;
  }
  // The unrounded span: 9.5 s is not 10 s of a visit, though it is stored as a duration of 10.
  const engagedTime = state.reportsVisibleTime ? state.visibleSeconds : spanMs / 1000;
  if (
    session.pageViews >= ENGAGED_PAGE_VIEWS ||
    engagedTime >= ENGAGED_DURATION_S ||
    (activity.reportedDuration ?? 0) >= ENGAGED_DURATION_S
  ) {
    session.isEngaged = true;
  }
}

/** The short-session rule: one event and under a second (of its span, unrounded). */
export function isShortSession(session: SessionRecord): boolean {
  return session.eventCount <= 1 && session.lastActivityAt - session.startedAt < SHORT_SESSION_S * 1000;
}

/** Whether a session counts as a bounce: it has a page view and is not engaged. */
export function isBounce(session: SessionRecord): boolean {
  // Rows of Skopos 0.1 have no page-view count: judge them by engagement alone, as 0.1 did.
  const pageViews = (session as { pageViews?: number }).pageViews;
  return !session.isEngaged && (pageViews === undefined || pageViews >= 1);
}

/** Whether a session has page views, i.e. belongs in the bounce rate's denominator. */
export function hasPageViews(session: SessionRecord): boolean {
  const pageViews = (session as { pageViews?: number }).pageViews;
  return pageViews === undefined || pageViews >= 1;
}
