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
