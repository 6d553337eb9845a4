import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWorldMap, worldMapModule } from '../../scripts/world-map-data.ts';
import { WORLD_ATLAS_SOURCE, worldMapInput } from '../../scripts/world-map-input.ts';
import { WORLD_PATHS, WORLD_SIZE } from './world-map-data.ts';

const MODULE = new URL('./world-map-data.ts', import.meta.url);

/** The absolute points of a path in the generator's grammar (`M x y l dx dy … z`, or a dot); throws on any other text. */
function pathPoints(d: string): [number, number][] {
  const points: [number, number][] = [];
  const subpaths = d.match(/M\d+ \d+(?:l-?\d+(?:[ -]\d+|-\d+)*|h1v1h-1)z/g) ?? [];
  if (subpaths.join('') !== d) throw new Error(`not a path of the generator: ${d.slice(0, 40)}`);
  for (const subpath of subpaths) {
    const [x0, y0, ...steps] = (subpath.match(/-?\d+/g) ?? []).map(Number) as [number, number, ...number[]];
    if (subpath.includes('h1')) {
      points.push([x0, y0], [x0 + 1, y0 + 1]);
      continue;
    }
    if (steps.length % 2 !== 0) throw new Error(`odd number of coordinates: ${subpath.slice(0, 40)}`);
    let [x, y] = [x0, y0];
    points.push([x, y]);
    for (let i = 0; i < steps.length; i += 2) {
      x += steps[i] as number;
      y += steps[i + 1] as number;
      points.push([x, y]);
    }
  }
  return points;
}

describe('the world map data', () => {
  it('has one path per ISO 3166-1 alpha-2 code, inside the view box', () => {
    const codes = Object.keys(WORLD_PATHS);
    expect(codes.length).toBeGreaterThan(170);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      const points = pathPoints(WORLD_PATHS[code] as string);
      expect(points.length).toBeGreaterThanOrEqual(2);
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(WORLD_SIZE.width);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(WORLD_SIZE.height);
      }
    }
    expect(WORLD_SIZE).toEqual({ width: 360, height: expect.any(Number) });
    expect(WORLD_SIZE.height).toBeGreaterThan(150);
    expect(WORLD_SIZE.height).toBeLessThan(190);
  });

  it('has the countries visitors come from, where they are, and no Antarctica', () => {
    for (const code of ['DE', 'US', 'BR', 'JP', 'AU', 'ZA', 'IN', 'CN', 'FR', 'GB', 'XK']) {
      expect(WORLD_PATHS).toHaveProperty(code);
    }
    expect(WORLD_PATHS).not.toHaveProperty('AQ');
    const centre = (code: string): [number, number] => {
      const points = pathPoints(WORLD_PATHS[code] as string);
      const mid = (values: number[]) => (Math.min(...values) + Math.max(...values)) / 2;
      return [mid(points.map((p) => p[0])), mid(points.map((p) => p[1]))];
    };
    // x is longitude + 180: Germany at about 10° E, Japan about 138° E, Brazil about 53° W.
    expect(centre('DE')[0]).toBeCloseTo(190, -1);
    expect(centre('JP')[0]).toBeCloseTo(318, -1);
    expect(centre('BR')[0]).toBeCloseTo(127, -1);
    // Fiji straddles the antimeridian: cut there, it stays at the right edge, not mid-map.
    expect(centre('FJ')[0]).toBeGreaterThan(340);
    // North above south.
    expect(centre('DE')[1]).toBeLessThan(centre('ZA')[1]);
    expect(centre('US')[1]).toBeLessThan(centre('AU')[1]);
  });

  it('is what scripts/generate-world-map.ts makes (regenerate it after changing the script)', () => {
    const committed = readFileSync(MODULE, 'utf8');
    expect(worldMapModule(buildWorldMap(worldMapInput()), WORLD_ATLAS_SOURCE)).toBe(committed);
    expect(committed).toContain('Natural Earth');
    // Most of the dashboard's 60 KB budget is left for everything else.
    expect(gzipSync(committed, { level: 9 }).byteLength).toBeLessThanOrEqual(25 * 1024);
  });
});
