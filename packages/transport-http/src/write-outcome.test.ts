import { MAX_LISTED_BYTES, MAX_LISTED_PER_REASON } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { WriteOutcomeBuilder } from './write-outcome.ts';

describe('WriteOutcomeBuilder drops', () => {
  it('carries each drop’s detail next to its reason, in event order', () => {
    const outcome = new WriteOutcomeBuilder();
    outcome.drop(2, 'ip_blacklisted', 'blacklisted ip');
    outcome.drop(0, 'bot', 'bot: user-agent');
    outcome.drop(1, 'queue_full');
    expect(outcome.build().dropped).toEqual([
      { index: 0, reason: 'bot', detail: 'bot: user-agent' },
      { index: 1, reason: 'queue_full' },
      { index: 2, reason: 'ip_blacklisted', detail: 'blacklisted ip' },
    ]);
  });

  it('lists the same reason and detail 5 times at most; another detail is listed on its own', () => {
    const outcome = new WriteOutcomeBuilder();
    for (let i = 0; i < 20; i++) outcome.drop(i, 'bot', 'bot: user-agent');
    outcome.drop(20, 'bot', 'bot: headless browser');
    const built = outcome.build();
    expect(built.dropped).toHaveLength(MAX_LISTED_PER_REASON + 1);
    expect(built.dropped.at(-1)).toEqual({ index: 20, reason: 'bot', detail: 'bot: headless browser' });
    expect(built.omitted).toBe(20 - MAX_LISTED_PER_REASON);
  });

  it('bounds a detail that echoes a huge site id, and the whole list', () => {
    const outcome = new WriteOutcomeBuilder();
    const huge = 's'.repeat(7000);
    for (let i = 0; i < 500; i++) outcome.drop(i, 'archived', `archived site: ${huge}${i}`, [`${huge}${i}`]);
    const built = outcome.build();
    const size = Buffer.byteLength(JSON.stringify([...built.dropped, ...built.rejected]));
    expect(size).toBeLessThanOrEqual(MAX_LISTED_BYTES + 2);
    for (const entry of built.dropped) expect(entry.detail?.length).toBeLessThanOrEqual(241);
    expect(built.dropped.length + (built.omitted ?? 0)).toBe(500);
  });
});
