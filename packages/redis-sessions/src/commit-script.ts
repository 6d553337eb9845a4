import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * The whole commit in one script, so Redis runs it atomically (no other command of any process runs
 * between its reads and writes). The order of the checks is the contract of `SessionStore.commit`:
 * a claimed identity wins over a version mismatch (a re-sent event is a duplicate, whatever happened
 * to its session since), and nothing is written unless everything is.
 *
 * KEYS: session, visitor[, identity]
 * ARGV: expected, session JSON, row.isNewVisitor ('0'|'1'), ttlMs, identityTtlMs, visitorTtlMs, row id
 * A session is one string `<version>|<isNewVisitor 0|1>|<JSON>` (see `codec.ts`); a value that does
 * not start so (version -1) never matches `expected`, and the caller reports it as corrupt.
 *
 * A new session starts at Redis's clock in microseconds, not at 1: a process still holding the last
 * version of a session that expired must not commit onto the next session of the same key once it
 * reaches that number. Commits run one at a time and take more than a microsecond each, so a
 * session's versions never pass the clock, and the next session starts above them (a failover to a
 * server whose clock is behind by less than the session timeout keeps this; 2^53 µs is year 2255).
 * `string.format('%d')`: Lua would write a 16-digit number in exponent form.
 */
export const COMMIT_SCRIPT = `
local session, visitor, identity = KEYS[1], KEYS[2], KEYS[3]
if identity then
  local owner = redis.call('GET', identity)
  if owner then return {'duplicate', owner} end
end
local stored = redis.call('GET', session)
local version = 0
if stored then version = tonumber(string.match(stored, '^(%d+)|')) or -1 end
local expected = tonumber(ARGV[1])
if version ~= expected then
  if stored then return {'conflict', stored} end
  return {'conflict'}
end
local rowIsNew = ARGV[3]
local isNew = 0
if expected == 0 then
  if redis.call('EXISTS', visitor) == 0 then isNew = 1 else rowIsNew = '0' end
  redis.call('SET', visitor, '1', 'PX', ARGV[6])
end
local nextVersion = expected + 1
if expected == 0 then
  local now = redis.call('TIME')
  nextVersion = tonumber(now[1]) * 1000000 + tonumber(now[2])
end
redis.call('SET', session, string.format('%d', nextVersion) .. '|' .. rowIsNew .. '|' .. ARGV[2], 'PX', ARGV[4])
if identity then redis.call('SET', identity, ARGV[7], 'PX', ARGV[5]) end
return {'committed', nextVersion, isNew}
`;

/** What Redis names the script by in its script cache. */
export const COMMIT_SCRIPT_SHA = createHash('sha1').update(COMMIT_SCRIPT).digest('hex');

const isNoScript = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * Run the script by its SHA (the script's text crosses the network once per server, not per event);
 * a server that does not know it (first use, restart, `SCRIPT FLUSH`, failover) answers NOSCRIPT,
 * and then one EVAL sends the text, which also caches it there for the next EVALSHA.
 */
export async function runCommitScript(
  client: Redis | Cluster,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(COMMIT_SCRIPT_SHA, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return await client.eval(COMMIT_SCRIPT, keys.length, ...keys, ...args);
  }
}
