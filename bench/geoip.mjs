// @skopos/geoip: what geoip-lite costs once it is loaded, how long the first lookup (which loads it)
// takes, then lookups/s for public IPv4 and IPv6 addresses. Baseline: geoip-lite's own lookup() on
// the same addresses, so the ratio shows what Skopos adds (address normalisation, the non-public
// check, the result object). Build first (`turbo run build`), run with
// `node --expose-gc bench/geoip.mjs`. Asserts nothing.
import { geoipLookup } from '@skopos/geoip';

const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 500_000);
const MB = 1024 * 1024;

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/geoip.mjs');
  process.exit(1);
}

function memory() {
  globalThis.gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

let seed = 42;
function random32() {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return Math.floor((seed / 2_147_483_648) * 2 ** 32);
}
const hex16 = () => (random32() & 0xffff).toString(16);

/** Addresses from public unicast space: IPv4 outside 0/8, 10/8, 127/8 and 224/3; IPv6 in 2000::/3 allocations. */
const ipv4 = Array.from({ length: 10_000 }, () => {
  let first = 0;
  while (first === 0 || first === 10 || first === 127 || first >= 224) first = random32() >>> 24;
  const rest = random32();
  return `${first}.${(rest >>> 16) & 255}.${(rest >>> 8) & 255}.${rest & 255}`;
});
const ipv6Prefixes = [
  '2001:4860',
  '2a00:1450',
  '2606:4700',
  '2a03:2880',
  '2001:67c',
  '2400:cb00',
  '2804:14c',
];
const ipv6 = Array.from(
  { length: 10_000 },
  (_, i) => `${ipv6Prefixes[i % ipv6Prefixes.length]}:${hex16()}:${hex16()}::${hex16()}`,
);

function rate(lookup, addresses) {
  let placed = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) {
    if (lookup(addresses[i % addresses.length])?.country) placed++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: LOOKUPS / seconds, placed: placed / LOOKUPS };
}

const before = memory();
let imported = 0;
const geo = geoipLookup({
  importModule: () => {
    imported++;
    return import('geoip-lite');
  },
});
const created = memory();
console.log(
  `geoip memory after geoipLookup(), before any lookup (RSS delta MB): ${((created.rss - before.rss) / MB).toFixed(1)}`,
);
console.log(`geoip-lite imported before the first lookup: ${imported}`);

const started = process.hrtime.bigint();
const first = await geo.lookup('8.8.8.8');
const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`geoip first lookup ms (loads geoip-lite): ${firstMs.toFixed(0)} (${first?.country})`);

const loaded = memory();
console.log(`geoip memory after load RSS delta MB: ${((loaded.rss - before.rss) / MB).toFixed(1)}`);
console.log(
  `geoip memory after load heap delta MB: ${((loaded.heapUsed - before.heapUsed) / MB).toFixed(1)}`,
);
console.log(
  `geoip memory after load external (Buffers) delta MB: ${((loaded.external - before.external) / MB).toFixed(1)}`,
);

const raw = (await import('geoip-lite')).default;

for (const [family, addresses] of [
  ['IPv4', ipv4],
  ['IPv6', ipv6],
]) {
  // Warm-up, so that both sides run optimised code.
  rate((ip) => raw.lookup(ip), addresses);
  rate((ip) => geo.lookup(ip), addresses);
  const baseline = rate((ip) => raw.lookup(ip), addresses);
  const skopos = rate((ip) => geo.lookup(ip), addresses);
  console.log(`geoip-lite lookup() ${family} lookups/s (baseline): ${Math.round(baseline.perSecond)}`);
  console.log(`geoipLookup ${family} lookups/s: ${Math.round(skopos.perSecond)}`);
  console.log(
    `geoipLookup ${family} ratio to baseline: ${(skopos.perSecond / baseline.perSecond).toFixed(2)}`,
  );
  console.log(`geoipLookup ${family} share placed in a country: ${(skopos.placed * 100).toFixed(0)}%`);
}
