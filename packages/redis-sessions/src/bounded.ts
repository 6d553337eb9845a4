import type { ConnectedClient } from './client.ts';
import { CorruptSessionError } from './codec.ts';
import { isConnectionFailure, isReplyError, RedisSessionsError } from './errors.ts';

/**
 * Run `operation` within `timeoutMs`, turning every failure into a `RedisSessionsError`. The store's
 * own deadline, because ioredis' `commandTimeout` covers only clients the store made, and never
 * the connecting of a `Cluster`.
 */
export async function bounded<T>(
  what: string,
  connection: ConnectedClient,
  timeoutMs: number,
  operation: () => Promise<T>,
): Promise<T> {
  // Known down (a connection error since the last ready): fail now, so that each event falls back
  // at once instead of waiting `timeoutMs` for a connection that is not coming.
  if (connection.client.status !== 'ready' && connection.lastError() !== undefined) {
    throw failure(what, new DeadlineError('known down'), connection, 0);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // One more turn before giving up: after a stall of the event loop (a busy machine), timers run
    // before I/O, and the reply may already be waiting in the socket. A false timeout would send the
    // event to this process's own sessions and split a visitor's session.
    timer = setTimeout(() => setImmediate(() => reject(new DeadlineError())), timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    throw failure(what, error, connection, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** ioredis' "max retries per request" says how it gave up, not why: say what the user can act on. */
function connectionDetail(error: unknown, detail: string): string {
  return error instanceof Error && error.name === 'MaxRetriesPerRequestError'
    ? 'no connection could be made'
    : detail;
}

/** Our own deadline fired. */
class DeadlineError extends Error {}

function failure(what: string, error: unknown, connection: ConnectedClient, timeoutMs: number): Error {
  if (error instanceof RedisSessionsError) return error;
  const { target } = connection;
  // "Redis at redis://10.0.0.5:6379", or the description of a given Cluster client.
  const where = target.includes('://') ? `Redis at ${target}` : target;
  const cause = { cause: error };
  const detail = error instanceof Error ? error.message : String(error);
  const lastError = connection.lastError();
  const seen = lastError === undefined ? '' : ` (last connection error: ${lastError})`;
  if (error instanceof CorruptSessionError) {
    return new RedisSessionsError(
      'corrupt',
      target,
      `${what}: ${where} holds an unreadable session: ${detail}`,
      cause,
    );
  }
  if (isReplyError(error)) {
    return new RedisSessionsError('rejected', target, `${what}: ${where} refused: ${detail}`, cause);
  }
  if (isConnectionFailure(error)) {
    return new RedisSessionsError(
      'unreachable',
      target,
      `${what}: ${where} is unreachable: ${lastError ?? connectionDetail(error, detail)}; is it running, and is this its address?`,
      cause,
    );
  }
  const { status } = connection.client;
  if (status !== 'ready') {
    // Still queued for a connection that never became ready: the command was not sent.
    return new RedisSessionsError(
      'unreachable',
      target,
      `${what}: no connection to ${where} was ready within ${timeoutMs} ms (status ${status})${seen}; is it running, and is this its address?`,
      cause,
    );
  }
  const outcome = what === 'commit' ? ' (the commit may still have been applied)' : '';
  return new RedisSessionsError(
    'timeout',
    target,
    `${what}: ${where} did not answer within ${timeoutMs} ms${outcome}`,
    cause,
  );
}
