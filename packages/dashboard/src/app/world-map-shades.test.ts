import { describe, expect, it } from 'vitest';
import { countryTitle, mapSummary, SHADE_STEPS, shadeStep } from './world-map-shades.ts';

describe('shadeStep', () => {
  it('leaves countries without sessions unshaded and gives the busiest the strongest shade', () => {
    expect(shadeStep(0, 50)).toBe(0);
    expect(shadeStep(50, 50)).toBe(SHADE_STEPS);
    expect(shadeStep(1, 1)).toBe(SHADE_STEPS);
    expect(shadeStep(1, 10_000)).toBe(1);
  });

  it('steps on a log scale, so a country with a hundredth of the leader still shows', () => {
    expect(shadeStep(100, 10_000)).toBe(3);
    expect(shadeStep(10, 10_000)).toBe(2);
    expect(shadeStep(1_000, 10_000)).toBe(4);
    const steps = Array.from({ length: 200 }, (_, i) => shadeStep(i + 1, 200));
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1] as number);
    expect(new Set(steps)).toEqual(new Set([1, 2, 3, 4, 5]));
  });
});

describe('map texts', () => {
  it("name the country in the browser's language, with its code and count", () => {
    expect(countryTitle('DE', 12)).toMatch(/^\S.* \(DE\): 12 sessions$/);
    expect(countryTitle('JP', 1)).toMatch(/\(JP\): 1 session$/);
    expect(countryTitle('FR', 0)).toMatch(/\(FR\): no sessions$/);
  });

  it('summarise the map for screen readers, naming the rows it cannot draw', () => {
    const rows = [
      { key: 'US', count: 7 },
      { key: 'SG', count: 2 },
    ];
    const summary = mapSummary(rows, (code) => code !== 'SG');
    expect(summary).toMatch(
      /^World map of sessions by country: 2 countries, most from .*\(US\): 7 sessions; /,
    );
    expect(summary).toMatch(/not on this map: .*\(SG\)$/);
    expect(mapSummary(rows.slice(0, 1), () => true)).not.toContain('not on this map');
  });
});
