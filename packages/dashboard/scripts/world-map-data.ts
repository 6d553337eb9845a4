// Turns world-atlas' TopoJSON into the dashboard's world map module: one SVG path per ISO 3166-1
// alpha-2 code, in integer coordinates, small enough to ship in the page's JavaScript.
// Pure (no I/O): `generate-world-map.ts` reads the input and writes the output, and a unit test runs
// it again to prove the committed module is what this code makes.

/** The parts of a TopoJSON topology (quantized, delta-encoded arcs) this script reads. */
export interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: [number, number][][];
  objects: Record<string, { geometries: TopoGeometry[] }>;
}

export interface TopoGeometry {
  type: string;
  /** Polygon: rings of arc indexes; MultiPolygon: polygons of those. `~i` is arc `i` reversed. */
  arcs?: number[][] | number[][][];
  id?: string;
  properties?: { name?: string };
}

type Point = [number, number];

/** Units per degree of longitude. */
const SCALE = 1;
const WIDTH = 360 * SCALE;
/** Douglas–Peucker tolerance in units: a point nearer than this to the simplified line goes. */
const TOLERANCE = 0.6;
const RAD = Math.PI / 180;

/**
 * Miller's cylindrical projection: equirectangular's straight meridians and parallels, with the
 * high latitudes stretched less than Mercator's, so the map looks familiar at about 360 × 170.
 */
function project([lon, lat]: Point): Point {
  const y = 1.25 * Math.log(Math.tan(Math.PI / 4 + 0.4 * lat * RAD));
  return [(lon + 180) * SCALE, (-y / RAD) * SCALE];
}

/**
 * The arcs in lon/lat: the topology stores each one as quantized steps from its previous point.
 * An arc that crosses the antimeridian (Russia's, Fiji's) is unwrapped, its longitudes running on
 * past ±180, so that no step spans the whole map; `splitAtEdges` cuts such rings in two.
 */
function decodeArcs(topology: Topology): Point[][] {
  const [kx, ky] = topology.transform.scale;
  const [dx, dy] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    let previous: number | undefined;
    return arc.map(([stepX, stepY]): Point => {
      x += stepX;
      y += stepY;
      let lon = x * kx + dx;
      if (previous !== undefined) lon += 360 * Math.round((previous - lon) / 360);
      previous = lon;
      return [lon, y * ky + dy];
    });
  });
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const lx = bx - ax;
  const ly = by - ay;
  const length2 = lx * lx + ly * ly;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * lx + (py - ay) * ly) / length2));
  return Math.hypot(px - (ax + t * lx), py - (ay + t * ly));
}

/** Douglas–Peucker; the ends stay, so arcs shared by two countries still meet. */
function simplify(points: Point[]): Point[] {
  if (points.length < 3) return points;
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = true;
  keep[points.length - 1] = true;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let farthest = -1;
    let distance = TOLERANCE;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i] as Point, points[first] as Point, points[last] as Point);
      if (d > distance) {
        distance = d;
        farthest = i;
      }
    }
    if (farthest > 0) {
      keep[farthest] = true;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** Projected, rounded to integers, without repeats: every arc once, so shared borders stay shared. */
function screenArcs(topology: Topology): Point[][] {
  return decodeArcs(topology).map((arc) => {
    const rounded: Point[] = [];
    for (const point of simplify(arc.map(project))) {
      const next: Point = [Math.round(point[0]), Math.round(point[1])];
      const last = rounded.at(-1);
      if (!last || last[0] !== next[0] || last[1] !== next[1]) rounded.push(next);
    }
    return rounded;
  });
}

/** A ring from its arcs, each shifted by whole turns to continue where the previous one ended. */
function ring(arcs: Point[][], indexes: number[]): Point[] {
  const points: Point[] = [];
  for (const index of indexes) {
    const arc = index < 0 ? [...(arcs[~index] ?? [])].reverse() : (arcs[index] ?? []);
    const end = points.at(-1);
    const turn = end && arc[0] ? WIDTH * Math.round((end[0] - arc[0][0]) / WIDTH) : 0;
    for (const [x, y] of arc) {
      const point: Point = [x + turn, y];
      const last = points.at(-1);
      if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
    }
  }
  const first = points[0];
  const last = points.at(-1);
  if (first && last && points.length > 1 && first[0] === last[0] && first[1] === last[1]) points.pop();
  return points;
}

/** Sutherland–Hodgman against one vertical line: the part of the ring on the kept side of `edge`. */
function clip(points: Point[], edge: number, keepLeft: boolean): Point[] {
  const inside = (p: Point): boolean => (keepLeft ? p[0] <= edge : p[0] >= edge);
  const out: Point[] = [];
  points.forEach((current, i) => {
    const previous = points[(i + points.length - 1) % points.length] as Point;
    if (inside(current) !== inside(previous)) {
      const t = (edge - previous[0]) / (current[0] - previous[0]);
      out.push([edge, Math.round(previous[1] + t * (current[1] - previous[1]))]);
    }
    if (inside(current)) out.push(current);
  });
  return out;
}

/** A ring that runs past the map's left or right edge, as its pieces moved back onto the map. */
function splitAtEdges(points: Point[]): Point[][] {
  const xs = points.map((p) => p[0]);
  if (Math.min(...xs) >= 0 && Math.max(...xs) <= WIDTH) return [points];
  return [-WIDTH, 0, WIDTH]
    .map((turn) => clip(clip(points, -turn, false), WIDTH - turn, true).map(([x, y]): Point => [x + turn, y]))
    .filter((piece) => piece.length > 0);
}

/** Twice the area (shoelace); a ring rounded down to a line or a point has 0. */
function area(points: Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i] as Point;
    const [x2, y2] = points[(i + 1) % points.length] as Point;
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum);
}

/** `M12 34l1-2 3 0…z`: absolute start, then relative integer steps (the shortest text). */
function pathOf(points: Point[]): string {
  const [start, ...rest] = points as [Point, ...Point[]];
  let text = `M${start[0]} ${start[1]}l`;
  let [x, y] = start;
  for (const [px, py] of rest) {
    for (const step of [px - x, py - y]) text += step < 0 || text.endsWith('l') ? step : ` ${step}`;
    [x, y] = [px, py];
  }
  return `${text}z`;
}

/**
 * A one-unit square where a country's every ring rounded away, so it stays on the map to hover:
 * at the middle of its largest piece (Fiji's pieces lie at both edges of the map).
 */
function dot(rings: Point[][]): string {
  const points = rings.reduce((a, b) => (b.length > a.length ? b : a), []);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.round((Math.min(...xs) + Math.max(...xs)) / 2);
  const y = Math.round((Math.min(...ys) + Math.max(...ys)) / 2);
  return `M${x} ${y}h1v1h-1z`;
}

/** The countries' rings as arc-index lists, whether a geometry is a Polygon or a MultiPolygon. */
function ringsOf(geometry: TopoGeometry): number[][] {
  if (geometry.type === 'Polygon') return geometry.arcs as number[][];
  if (geometry.type === 'MultiPolygon') return (geometry.arcs as number[][][]).flat();
  return [];
}

export interface WorldMapInput {
  topology: Topology;
  /** The alpha-2 code of an ISO 3166-1 numeric code (`'276'` → `'DE'`), or undefined. */
  alpha2(numeric: string): string | undefined;
  /** Codes for the shapes without a numeric id, by their Natural Earth name. */
  unnumbered: Readonly<Record<string, string>>;
  /** Dropped whole (Antarctica: hardly anybody's visitors, and a third more height). */
  skip: ReadonlySet<string>;
}

export interface WorldMap {
  width: number;
  height: number;
  /** Alpha-2 code → SVG path, sorted by code. */
  paths: Record<string, string>;
}

/** The map: every country of the topology's `countries` object as one path, its top at y = 0. */
export function buildWorldMap({ topology, alpha2, unnumbered, skip }: WorldMapInput): WorldMap {
  const arcs = screenArcs(topology);
  const rings = new Map<string, Point[][]>();
  for (const geometry of topology.objects.countries?.geometries ?? []) {
    const name = geometry.properties?.name ?? '';
    const code = geometry.id === undefined ? unnumbered[name] : alpha2(geometry.id);
    if (code === undefined)
      throw new Error(`[skopos/dashboard] no alpha-2 code for ${name} (${geometry.id})`);
    if (skip.has(code)) continue;
    // Codes met twice (a shape drawn on its own by Natural Earth) join the country's path.
    const pieces = ringsOf(geometry).flatMap((indexes) => splitAtEdges(ring(arcs, indexes)));
    rings.set(code, [...(rings.get(code) ?? []), ...pieces]);
  }
  const all = [...rings.values()].flat(2);
  const top = Math.min(...all.map((p) => p[1]));
  const paths: Record<string, string> = {};
  for (const code of [...rings.keys()].sort()) {
    const shifted = (rings.get(code) ?? []).map((points) => points.map(([x, y]): Point => [x, y - top]));
    const kept = shifted.filter((points) => points.length >= 3 && area(points) > 0);
    paths[code] = kept.length > 0 ? kept.map(pathOf).join('') : dot(shifted);
  }
  return { width: WIDTH, height: Math.max(...all.map((p) => p[1])) - top, paths };
}

/** The committed TypeScript module: attribution, the view box and the paths. */
export function worldMapModule(map: WorldMap, source: string): string {
  const lines = Object.entries(map.paths).map(([code, path]) => `  ${code}: '${path}',`);
  return [
    `// Generated by scripts/generate-world-map.ts from ${source}: do not edit, run the script again.`,
    '// Country shapes: Natural Earth 1:110m (public domain, naturalearthdata.com), as TopoJSON in the',
    '// world-atlas package (ISC licence, Copyright 2013-2019 Michael Bostock); projected (Miller),',
    '// simplified and rounded to integers here.',
    '',
    `/** The map's size in path units (1 unit = 1 degree of longitude). */`,
    `export const WORLD_SIZE = { width: ${map.width}, height: ${map.height} } as const;`,
    '',
    '/** ISO 3166-1 alpha-2 code (as geo sources give them) → the SVG path of the country. */',
    'export const WORLD_PATHS: Readonly<Record<string, string>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}
