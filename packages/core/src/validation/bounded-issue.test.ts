import { describe, expect, it } from 'vitest';
import { boundedIssue, boundedReason, ECHO_MAX_CHARS } from './bounded-issue.ts';

describe('boundedIssue', () => {
  it('cuts an echoed value to its first ECHO_MAX_CHARS characters and keeps the advice around it', () => {
    const site = 's'.repeat(7000);
    const issue = boundedIssue(
      { field: 'siteId', reason: `Website ${site} not found: create a websites record with this trackingId` },
      [site],
    );
    expect(issue.reason).toBe(
      `Website ${'s'.repeat(ECHO_MAX_CHARS)}… not found: create a websites record with this trackingId`,
    );
    expect(issue.field).toBe('siteId');
  });

  it('bounds field and reason even when the echo is not named', () => {
    const issue = boundedIssue({ field: `customData.${'k'.repeat(5000)}`, reason: 'r'.repeat(5000) });
    expect(issue.field.length).toBeLessThanOrEqual(121);
    expect(issue.reason.length).toBeLessThanOrEqual(241);
    expect(issue.reason.endsWith('…')).toBe(true);
  });

  it('leaves short values and messages unchanged', () => {
    const issue = { field: 'url', reason: 'must be an http(s) URL' };
    expect(boundedIssue(issue, ['site-a'])).toEqual(issue);
    expect(boundedReason('Website site-a is archived', ['site-a'])).toBe('Website site-a is archived');
  });
});
