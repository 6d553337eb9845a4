import { SkoposError } from '../errors.ts';
import { type IpRange, parseCidr } from './cidr.ts';
import { parseIp } from './ip-parse.ts';
import { createRangeSet } from './range-set.ts';

/**
 * Which socket peers may tell us the client address through `X-Forwarded-For` / `Forwarded`,
 * with Express's `trust proxy` meanings:
 * - `false` (default): nobody; the socket address is the client.
 * - `true`: everybody; the left-most forwarded address is the client.
 * - a number n: trust the n nearest hops.
 * - a string or list: IPs, CIDR ranges, or the names `loopback`, `linklocal`, `uniquelocal`
 *   (a string may hold several, comma-separated).
 * - a function `(ip, hopIndex) => boolean`.
 */
export type TrustProxySetting =
  | boolean
  | number
  | string
  | readonly string[]
  | ((ip: string, hopIndex: number) => boolean);

/** Express's named ranges (a Map, so that `constructor` & co. are not names). */
const NAMED_RANGES: ReadonlyMap<string, readonly string[]> = new Map([
  ['loopback', ['127.0.0.1/8', '::1/128']],
  ['linklocal', ['169.254.0.0/16', 'fe80::/10']],
  ['uniquelocal', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
]);

/** A compiled `trustProxy`: is the address at `hopIndex` (0 = the socket peer) a trusted proxy? */
export type TrustFn = (ip: string, hopIndex: number) => boolean;

const trustAll: TrustFn = () => true;
const trustNone: TrustFn = () => false;

function invalid(detail: string): SkoposError {
  return new SkoposError(
    'invalid_options',
    `[skopos/core] trustProxy: ${detail}. Use true/false, a hop count, IPs, CIDR ranges (\`10.0.0.0/8\`), the names loopback, linklocal or uniquelocal, or a function.`,
  );
}

function compileList(entries: readonly string[]): TrustFn {
  const ranges: IpRange[] = [];
  for (const item of entries) {
    if (typeof item !== 'string') throw invalid(`list entries must be strings, got ${typeof item}`);
    for (const part of item.split(',')) {
      const entry = part.trim();
      if (entry === '') continue;
      const named = NAMED_RANGES.get(entry.toLowerCase());
      for (const cidr of named ?? [entry]) {
        const parsed = parseCidr(cidr);
        if (!parsed) throw invalid(`"${entry}" is not an IP, a CIDR range or a known name`);
        ranges.push(...parsed);
      }
    }
  }
  const set = createRangeSet(ranges);
  if (set.empty) return trustNone;
  return (ip) => {
    const parsed = parseIp(ip);
    return parsed !== null && set.has(parsed);
  };
}

/**
 * Compiles a `trustProxy` setting, Express `trust proxy` semantics, once at start-up.
 * Throws `SkoposError('invalid_options')` naming the bad entry.
 *
 * @example
 * const trust = compileTrustProxy('loopback, 10.0.0.0/8');
 * trust('127.0.0.1', 0); // true
 * compileTrustProxy(2)('203.0.113.9', 1); // true: the two nearest hops are trusted
 */
export function compileTrustProxy(setting: TrustProxySetting | undefined): TrustFn {
  if (setting === undefined || setting === false) return trustNone;
  if (setting === true) return trustAll;
  if (typeof setting === 'function') return setting;
  if (typeof setting === 'number') {
    if (!Number.isInteger(setting) || setting < 0)
      throw invalid(`a hop count must be an integer ≥ 0, got ${setting}`);
    return setting === 0 ? trustNone : (_ip, hop) => hop < setting;
  }
  if (typeof setting === 'string') return compileList([setting]);
  if (Array.isArray(setting)) return compileList(setting);
  throw invalid(`unsupported value of type ${typeof setting}`);
}
