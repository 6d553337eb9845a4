// Small helpers the benchmarks share to print and compare figures.
import { readFileSync } from 'node:fs';

/** A whole number with thousands separators: 12,345. */
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const TICKS_PER_S = 100;

/** CPU seconds (user + system) the process `pid` has used so far, from /proc (Linux). */
export function cpuSeconds(pid) {
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/**
 * A pseudo-random source that gives the same sequence from the same seed (a linear congruential
 * generator), so a bench generates the same data run after run: `random()` in [0, 1), `pick(list)`,
 * `skewed(list)` (low indexes far more often: a few pages get most views) and `reset()`.
 */
export function seededRandom(seed) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    random,
    pick: (list) => list[Math.floor(random() * list.length)],
    skewed: (list) => list[Math.floor(random() ** 3 * list.length)],
    reset: () => {
      state = seed;
    },
  };
}

/**
 * How fast this host runs plain JavaScript right now: the median time in ms of a fixed CPU-bound
 * loop (JSON, strings, a Map: the kind of work the pipeline does), over `rounds` runs. The same
 * machine has swung ±40 % within minutes here (a shared VM), so a figure printed next to this one
 * can be compared with another run's figure by scaling with the ratio of the two loop times.
 */
export function hostSpeedMs(rounds = 5) {
  const doc = {
    type: 'pageView',
    url: 'https://example.com/p/1?utm_source=x',
    screenWidth: 1920,
    data: [1, 2, 3],
  };
  const times = [];
  let sink = 0;
  // Round 0 warms the JIT up and is not counted.
  for (let r = 0; r <= rounds; r++) {
    const start = performance.now();
    const seen = new Map();
    for (let i = 0; i < 40_000; i++) {
      const text = JSON.stringify({ ...doc, id: `e${i}` });
      const back = JSON.parse(text);
      seen.set(back.id, text.length);
      if (seen.size > 4096) seen.clear();
      sink += back.url.indexOf('?');
    }
    if (r > 0) times.push(performance.now() - start);
  }
  if (sink < 0) console.log(sink); // keeps the loop's result alive
  return median(times);
}
