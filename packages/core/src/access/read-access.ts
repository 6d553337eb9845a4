import { SkoposError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createSecretCheck } from './secret-check.ts';

/** Who may read events and stats: the options every transport and adapter that serves reads takes. */
export interface ReadAccessOptions {
  /**
   * The key that opens reads (sent as `X-Tracker-Key`, or `Authorization: Bearer …`). Keep it out
   * of pages: unlike the write key, which every visitor's browser holds, it is a real secret.
   */
  readKey?: string | undefined;
  /**
   * The write key. Without a `readKey` it opens reads too, as in vite-plugin-monitor, whose
   * dashboard reads with the key its trackers send; a warning says so once.
   */
  apiKey?: string | undefined;
  /** `false` turns the read routes off (404); writes are unaffected. Default `true`. */
  reads?: boolean | undefined;
  /** Whether an `authorizeRead` hook is configured (the transport calls it; its answer is a fact here). */
  hasHook?: boolean | undefined;
}

/** What one read request showed. */
export interface ReadFacts {
  /** The key it presented, if any. */
  presentedKey: string | null | undefined;
  /** From this machine (`isLocalClient`). */
  local: boolean;
  /** The `authorizeRead` hook's answer; `undefined` when there is no hook. */
  hookAllows?: boolean | undefined;
}

/**
 * The verdict on a read: allowed, or refused with the status and a reason that names the option to
 * set. `writeKey`: the key presented was the write key, which a read key keeps from reading — a
 * client that knows the wrong key (vite-plugin-monitor's dashboard reads with its one `apiKey`),
 * not a guess: transports do not count it against their wrong-key limits.
 */
export type ReadVerdict =
  | { allowed: true }
  | { allowed: false; status: 401 | 404; reason: string; writeKey?: true | undefined };

/** The read policy of one server, built once from its options. */
export interface ReadAccess {
  /** Whether the read routes exist at all (`reads !== false`). */
  readonly enabled: boolean;
  /** Whether a request must be asked for its hook answer (an `authorizeRead` hook is configured). */
  readonly needsHook: boolean;
  decide(facts: ReadFacts): ReadVerdict;
}

const ALLOWED: ReadVerdict = { allowed: true };
const WRITE_KEY_REFUSED: ReadVerdict = {
  allowed: false,
  status: 401,
  reason:
    'the write key (apiKey) does not open reads on this server, which has a read key: send the read key (readKey) in X-Tracker-Key',
  writeKey: true,
};

/**
 * The one read policy of every Skopos server (HTTP routes, WebSocket reads, adapters, `skopos
 * serve`, the SDK's handlers). In order: `reads: false` → 404; the read key → allowed; without a
 * read key, the write key → allowed; the `authorizeRead` hook saying yes → allowed; with no key
 * configured, a client on this machine → allowed (the Vite dev server, curl on the host; a hook
 * adds readers, it does not shut these out); everything else → 401 with a reason naming what to set.
 *
 * @example
 * const access = createReadAccess({ readKey: process.env.SKOPOS_READ_KEY }, { component: 'my-server' });
 * access.decide({ presentedKey: request.headers.get('x-tracker-key'), local: false });
 */
export function createReadAccess(
  options: ReadAccessOptions,
  context: { component: string; logger?: Logger | undefined },
): ReadAccess {
  const { readKey, apiKey } = options;
  if (readKey !== undefined && (typeof readKey !== 'string' || readKey === '')) {
    throw new SkoposError('invalid_options', `[${context.component}] readKey must be a non-empty string`);
  }
  const enabled = options.reads !== false;
  const readKeyMatches = readKey ? createSecretCheck(readKey) : null;
  const writeKeyOpensReads = !readKey && !!apiKey;
  const writeKeyMatches = apiKey ? createSecretCheck(apiKey) : null;
  // A hook only adds readers: programs on this machine could read the store anyway.
  const hasKey = !!readKey || !!apiKey;
  if (enabled && writeKeyOpensReads) {
    context.logger?.warn(
      'the write key (apiKey) also opens reads because no readKey is set: every page that tracks holds the write key, so anyone can read your analytics with it. Set readKey (skopos serve --read-key) to separate them.',
    );
  }
  const refusal = hasKey
    ? 'reading needs a credential: send the read key in X-Tracker-Key (readKey; without one, the apiKey) or sign in to the dashboard'
    : options.hasHook
      ? 'reading needs a credential: authorizeRead refused this request; set readKey (skopos serve --read-key) for tools'
      : 'reads answer only this machine until a credential is configured: set readKey (skopos serve --read-key) and send it in X-Tracker-Key, or pass an authorizeRead hook';

  return {
    enabled,
    needsHook: options.hasHook === true,
    decide(facts) {
      if (!enabled)
        return { allowed: false, status: 404, reason: 'reads are turned off on this server (reads: false)' };
      if (readKeyMatches?.(facts.presentedKey)) return ALLOWED;
      const writeKey = writeKeyMatches?.(facts.presentedKey) === true;
      if (writeKey && writeKeyOpensReads) return ALLOWED;
      if (facts.hookAllows === true) return ALLOWED;
      if (!hasKey && facts.local) return ALLOWED;
      return writeKey ? WRITE_KEY_REFUSED : { allowed: false, status: 401, reason: refusal };
    },
  };
}

/** The key a read request presents: `X-Tracker-Key`, else `Authorization: Bearer …`. */
export function presentedReadKey(header: (name: string) => string | null | undefined): string | null {
  const key = header('x-tracker-key');
  if (key) return key;
  const authorization = header('authorization');
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1] ?? null;
}
