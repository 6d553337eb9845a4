import type { SessionRecord } from '../model/records.ts';
import type { LiveSession } from '../session/session-tracker.ts';
import type { SessionResume } from './journal.ts';

/** What the journal keeps of a live session beyond its row. */
export function resumeOf(live: LiveSession): SessionResume {
  const resume: SessionResume = {
    key: live.key ?? '',
    trackingId: live.trackingId,
    lastSeen: live.lastSeen,
    visibleSeconds: live.visibleSeconds,
    reportsVisibleTime: live.reportsVisibleTime,
  };
  if (live.clockOffset !== undefined) resume.clockOffset = live.clockOffset;
  return resume;
}

/** The live session a restarted process continues from a journaled row and its resume state. */
export function liveFromResume(row: SessionRecord, resume: SessionResume): LiveSession {
  const live: LiveSession = {
    row: { ...row },
    key: resume.key,
    trackingId: resume.trackingId,
    lastSeen: resume.lastSeen,
    visibleSeconds: resume.visibleSeconds,
    reportsVisibleTime: resume.reportsVisibleTime,
  };
  if (resume.clockOffset !== undefined) live.clockOffset = resume.clockOffset;
  return live;
}
