import type { SessionRecord } from '../model/records.ts';

/** Seed 000: engaged when the session has several events or a reported `duration` over 10 s. */
export const ENGAGED_DURATION_S = 10;
/** Shorter than this (and a single event) is a "short session" that sites may discard. */
export const SHORT_SESSION_S = 1;

export interface ActivityInput {
  now: number;
  /** Path of the event's page, '' for events without one. */
  path: string;
  /** `customData.duration` in seconds, when the event reported one. */
  reportedDuration?: number | undefined;
}

/** Applies one event to a session row in place (the row is then re-queued, coalesced per flush). */
export function applyActivity(session: SessionRecord, activity: ActivityInput): void {
  session.eventCount += 1;
  if (activity.now > session.lastActivityAt) session.lastActivityAt = activity.now;
  if (activity.path) session.exitPath = activity.path;
  const elapsed = Math.round((session.lastActivityAt - session.startedAt) / 1000);
  if (elapsed > session.duration) session.duration = elapsed;
  const reported = activity.reportedDuration;
  if (
    session.eventCount >= 2 ||
    (reported !== undefined && reported > ENGAGED_DURATION_S) ||
    session.duration > ENGAGED_DURATION_S
  ) {
    session.isEngaged = true;
  }
}

/** The short-session rule: one event and under a second. */
export function isShortSession(session: SessionRecord): boolean {
  return session.eventCount <= 1 && session.duration < SHORT_SESSION_S;
}

/** `customData.duration` when it is a finite non-negative number of seconds. */
export function reportedDuration(data: Record<string, unknown> | undefined): number | undefined {
  const value = data?.duration;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
