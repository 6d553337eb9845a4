import { describe, expect, it } from 'vitest';
import { makeSession, makeVisitor } from '../testing/fixtures.ts';
import {
  type ActivityInput,
  applyActivity,
  isBounce,
  isShortSession,
  type SessionState,
} from './engagement.ts';

function fresh(at: number): SessionState {
  const row = makeSession(makeVisitor('w'), {
    eventCount: 0,
    pageViews: 0,
    startedAt: at,
    lastActivityAt: at,
  });
  return { row, visibleSeconds: 0, reportsVisibleTime: false };
}

const view = (at: number, path: string): ActivityInput => ({
  at,
  path,
  onPage: true,
  pageView: true,
  stored: true,
});
const click = (at: number, path: string): ActivityInput => ({
  at,
  path,
  onPage: true,
  pageView: false,
  stored: true,
});
const signal = (at: number, visibleSeconds: number): ActivityInput => ({
  at,
  path: '',
  onPage: false,
  pageView: false,
  stored: false,
  visibleSeconds,
});

describe('engagement, bounce and duration', () => {
  it('one page view is a bounce; a second page view engages', () => {
    const s = fresh(1000);
    applyActivity(s, view(1000, '/a'));
    expect(s.row).toMatchObject({
      eventCount: 1,
      pageViews: 1,
      isEngaged: false,
      duration: 0,
      exitPath: '/a',
    });
    expect(isBounce(s.row)).toBe(true);
    expect(isShortSession(s.row)).toBe(true);
    applyActivity(s, view(4000, '/b'));
    expect(s.row).toMatchObject({
      pageViews: 2,
      isEngaged: true,
      duration: 3,
      exitPath: '/b',
      lastActivityAt: 4000,
    });
    expect(isBounce(s.row)).toBe(false);
  });

  it('events that are not page views do not engage by themselves, and signals are not events', () => {
    const s = fresh(0);
    applyActivity(s, view(0, '/'));
    applyActivity(s, click(500, '/'));
    applyActivity(s, click(900, '/'));
    expect(s.row).toMatchObject({ eventCount: 3, pageViews: 1, isEngaged: false });
    applyActivity(s, signal(2000, 2));
    expect(s.row).toMatchObject({ eventCount: 3, isEngaged: false, duration: 2, lastActivityAt: 2000 });
    expect(s.row.exitPath, 'a signal does not move the exit page').toBe('/');
  });

  it('10 s of reported visible time engages; 9.9 s does not, even over a longer span', () => {
    const s = fresh(0);
    applyActivity(s, view(0, '/'));
    applyActivity(s, signal(30_000, 9.9));
    expect(s.row.isEngaged, 'the span counts only for clients that report no visible time').toBe(false);
    expect(s.row.duration).toBe(30);
    applyActivity(s, signal(31_000, 0.1));
    expect(s.row.isEngaged).toBe(true);
  });

  it('without visible-time reports, a span of 10 s between events engages (vite-plugin-monitor clients)', () => {
    const s = fresh(0);
    applyActivity(s, view(0, '/'));
    applyActivity(s, click(9_000, '/'));
    expect(s.row.isEngaged).toBe(false);
    applyActivity(s, click(10_000, '/'));
    expect(s.row.isEngaged).toBe(true);
  });

  it('judges the span unrounded: 9.5 s is stored as a duration of 10 but does not engage', () => {
    const s = fresh(0);
    applyActivity(s, view(0, '/'));
    applyActivity(s, click(9_500, '/'));
    expect(s.row).toMatchObject({ duration: 10, isEngaged: false });
    expect(isBounce(s.row)).toBe(true);
  });

  it('a single event with signals 0.6 s later is still a short session (its span is under a second)', () => {
    const s = fresh(0);
    applyActivity(s, view(0, '/'));
    applyActivity(s, signal(600, 0.6));
    expect(s.row).toMatchObject({ eventCount: 1, duration: 1 });
    expect(isShortSession(s.row)).toBe(true);
  });

  it('a late event widens the session backwards and never moves the exit page back', () => {
    const s = fresh(5000);
    applyActivity(s, view(5000, '/a'));
    applyActivity(s, view(9000, '/x'));
    applyActivity(s, view(3000, '/early'));
    expect(s.row).toMatchObject({ startedAt: 3000, lastActivityAt: 9000, exitPath: '/x', duration: 6 });
  });

  it('rows of Skopos 0.1 (no page-view count) bounce when not engaged', () => {
    const { pageViews: _, ...old } = makeSession(makeVisitor('w'));
    expect(isBounce(old as never)).toBe(true);
  });
});
