import { isbot } from 'isbot';
import { SkoposError } from '../errors.ts';
import type { HeaderSource } from '../util/headers.ts';
import { LruCache } from '../util/lru.ts';
import { BotHeader, readBotHeaders } from './bot-headers.ts';

export interface BotDetectorOptions {
  /** Score (0–100) from which a request counts as a bot (default 50). */
  threshold?: number | undefined;
  /** Distinct User-Agents whose analysis is kept (default 10000). */
  cacheSize?: number | undefined;
}

export interface BotDetector {
  /** 0 (a browser) to 100 (certainly not a person's page view). */
  score(userAgent: string, headers: HeaderSource): number;
  /** `score(…) >= threshold`. */
  isBot(userAgent: string, headers: HeaderSource): boolean;
  /**
   * The signals that added to the score, in a fixed order (see `BotSignal`): `[]` when none fired.
   * Meant for the rare bot verdict (a drop's detail, a log line), but as cheap as `score`: it reads
   * the same cached UA analysis and header signature, and the lists are shared frozen arrays.
   * Signals fire whatever the threshold: a browser without `accept-language` shows one and is no bot.
   *
   * @example
   * bots.explain('curl/8.5.0', { accept: '*\/*' }); // ['user-agent']
   */
  explain(userAgent: string, headers: HeaderSource): readonly BotSignal[];
}

/**
 * Why a request scored as it did, as a human reads it in a drop's detail (`bot: missing accept`):
 * - `user-agent`: isbot, a known tool or library (curl, python…) or an empty UA; decides alone.
 * - `headless browser`: HeadlessChrome, PhantomJS; decides alone.
 * - `prefetch`: a prefetch or preview request; decides alone.
 * - `short user-agent`, `missing accept`, `missing accept-language`, `wildcard accept-language`,
 *   `no fetch metadata` (a modern Chromium UA without `sec-fetch-*` and `sec-ch-ua`): weighted, see `BotWeight`.
 */
export type BotSignal =
  | 'user-agent'
  | 'headless browser'
  | 'prefetch'
  | 'short user-agent'
  | 'missing accept'
  | 'missing accept-language'
  | 'wildcard accept-language'
  | 'no fetch metadata';

/**
 * Weights. The soft signals a real browser can show on its own (Chrome on a plain-http page sends
 * no `sec-fetch-*`; a privacy setup may strip `accept-language`) stay below the default threshold
 * of 50 alone, while a script that fakes a browser UA misses two or more; `shortUa` and
 * `wildcardLanguage` are tells no browser shows, so they reach 50 by themselves.
 */
export const BotWeight = {
  /** isbot, a known tool/library UA, an empty UA, a prefetch. */
  certain: 100,
  /** A UA shorter than 20 characters: no browser sends one. */
  shortUa: 60,
  noAccept: 40,
  noAcceptLanguage: 30,
  /** `accept-language: *` (Node's fetch): a tell on its own. */
  wildcardLanguage: 60,
  /** A Chromium ≥ 90 UA with neither `sec-fetch-*` nor `sec-ch-ua`. */
  chromiumWithoutFetchMetadata: 30,
} as const;

/** Tools and libraries, some beyond isbot's list; plain alternation, so no backtracking blow-up. */
const toolPattern =
  /headless|phantomjs|lighthouse|curl|wget|python|axios|node-fetch|undici|go-http-client|java\/|okhttp|scrapy|\bbot\b|bot\/|spider|crawl/i;
const chromiumVersion = /Chrome\/(\d+)/;
/** The part of `toolPattern` (and isbot's list) that names a browser driven by a script. */
const headlessPattern = /headless|phantomjs/i;

/** Parts of the cached UA analysis (beside the score in the low byte). */
const MODERN_CHROMIUM = 0x100;
/** With a certain score: the UA names a headless browser (only read by `explain`). */
const HEADLESS = 0x200;
const SCORE_MASK = 0xff;
/** Only the first characters of a UA are analysed and kept as the cache key. */
const UA_KEY_MAX = 512;

function analyseUa(userAgent: string): number {
  const ua = userAgent.trim();
  if (ua === '' || isbot(ua) || toolPattern.test(ua)) {
    return headlessPattern.test(ua) ? BotWeight.certain | HEADLESS : BotWeight.certain;
  }
  let analysis = ua.length < 20 ? BotWeight.shortUa : 0;
  const match = chromiumVersion.exec(ua);
  if (match !== null && Number(match[1]) >= 90) analysis |= MODERN_CHROMIUM;
  return analysis;
}

function headerScore(signature: number, analysis: number): number {
  if (signature & BotHeader.prefetch) return BotWeight.certain;
  let score = 0;
  if (!(signature & (BotHeader.accept | BotHeader.websocket))) score += BotWeight.noAccept;
  if (signature & BotHeader.wildcardLanguage) score += BotWeight.wildcardLanguage;
  else if (!(signature & BotHeader.acceptLanguage)) score += BotWeight.noAcceptLanguage;
  if (analysis & MODERN_CHROMIUM && !(signature & (BotHeader.secFetch | BotHeader.secChUa))) {
    score += BotWeight.chromiumWithoutFetchMetadata;
  }
  return score;
}

const USER_AGENT: readonly BotSignal[] = Object.freeze(['user-agent']);
const HEADLESS_BROWSER: readonly BotSignal[] = Object.freeze(['headless browser']);
const PREFETCH: readonly BotSignal[] = Object.freeze(['prefetch']);

/** The signals of a UA analysis that is not certain and a header signature, as `headerScore` weighs them. */
function headerSignals(signature: number, analysis: number): readonly BotSignal[] {
  if (signature & BotHeader.prefetch) return PREFETCH;
  const signals: BotSignal[] = [];
  if (analysis & SCORE_MASK) signals.push('short user-agent');
  if (!(signature & (BotHeader.accept | BotHeader.websocket))) signals.push('missing accept');
  if (signature & BotHeader.wildcardLanguage) signals.push('wildcard accept-language');
  else if (!(signature & BotHeader.acceptLanguage)) signals.push('missing accept-language');
  if (analysis & MODERN_CHROMIUM && !(signature & (BotHeader.secFetch | BotHeader.secChUa))) {
    signals.push('no fetch metadata');
  }
  return Object.freeze(signals);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] bot detector ${name} must be a positive integer, got ${String(value)}: leave it out for the default.`,
    );
  }
  return value;
}

/**
 * Scores how likely a request is not a person's page view, from isbot, UA heuristics and the
 * shape of the request headers (see `BotWeight`). Browsers' beacons and keep-alive fetches (which
 * send `accept`, `accept-language` and, on https, `sec-fetch-*`) score 0; scripts, crawlers,
 * headless browsers and prefetches score 50 or more.
 *
 * The expensive half (isbot's regex, ~2 µs) is cached per UA in an LRU; the header half is a pure
 * function of the 7-bit `botHeaderSignature`, so a verdict is in effect cached by UA + signature
 * without building a composite key per request, and the same UA with another header shape scores
 * differently. Consecutive calls with the same headers object (the events of one batch) read
 * the headers once: do not mutate a headers object between calls.
 *
 * @example
 * const bots = createBotDetector({ threshold: 50 });
 * if (bots.isBot(req.headers['user-agent'] ?? '', req.headers)) return; // drop
 */
export function createBotDetector(options: BotDetectorOptions = {}): BotDetector {
  const threshold = options.threshold ?? 50;
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] botThreshold must be a number from 0 to 100, got ${String(threshold)}: 50 is the default.`,
    );
  }
  const cache = new LruCache<string, number>(positiveInteger('cacheSize', options.cacheSize ?? 10_000));

  function uaAnalysis(userAgent: string): number {
    const key = userAgent.length > UA_KEY_MAX ? userAgent.slice(0, UA_KEY_MAX) : userAgent;
    let analysis = cache.get(key);
    if (analysis === undefined) {
      analysis = analyseUa(key);
      cache.set(key, analysis);
    }
    return analysis;
  }

  // The events of one batch request share one headers object: read it once per run of calls.
  let lastHeaders: HeaderSource | undefined;
  let lastFetchMetadata = false;
  let lastSignature = 0;

  function signatureOf(headers: HeaderSource, fetchMetadata: boolean): number {
    if (headers !== lastHeaders || fetchMetadata !== lastFetchMetadata) {
      lastSignature = readBotHeaders(headers, fetchMetadata);
      lastHeaders = headers;
      lastFetchMetadata = fetchMetadata;
    }
    return lastSignature;
  }

  function score(userAgent: string, headers: HeaderSource): number {
    const analysis = uaAnalysis(userAgent);
    const uaScore = analysis & SCORE_MASK;
    // A certain verdict needs no header reads.
    if (uaScore >= BotWeight.certain) return BotWeight.certain;
    // Fetch metadata only matters for a modern Chromium UA: other UAs skip those reads.
    const signature = signatureOf(headers, (analysis & MODERN_CHROMIUM) !== 0);
    return Math.min(BotWeight.certain, uaScore + headerScore(signature, analysis));
  }

  /**
   * Signal lists by (short UA, modern Chromium, 7-bit signature): at most 512 shared arrays, so a
   * burst of bots of one kind allocates nothing.
   */
  const explained = new Map<number, readonly BotSignal[]>();

  function explain(userAgent: string, headers: HeaderSource): readonly BotSignal[] {
    const analysis = uaAnalysis(userAgent);
    if ((analysis & SCORE_MASK) >= BotWeight.certain) {
      return analysis & HEADLESS ? HEADLESS_BROWSER : USER_AGENT;
    }
    const signature = signatureOf(headers, (analysis & MODERN_CHROMIUM) !== 0);
    const key = signature | (analysis & SCORE_MASK ? 0x80 : 0) | (analysis & MODERN_CHROMIUM);
    let signals = explained.get(key);
    if (signals === undefined) {
      signals = headerSignals(signature, analysis);
      explained.set(key, signals);
    }
    return signals;
  }

  return {
    score,
    isBot: (userAgent, headers) => score(userAgent, headers) >= threshold,
    explain,
  };
}
