import { askReadHook, createReadAccess, isLocalClient, type Logger, presentedReadKey } from '@skopos/core';
import type { ClientLimits } from './client-limits.ts';
import type { HttpHandlerOptions, RequestInfo } from './options.ts';
import { errorResponse, tooManyAnswer, toResponse } from './responses.ts';

/** The refusal of a read, stats or sites request (401, 404, 429), `null` to let it in. */
export type ReadGate = (request: Request, info: RequestInfo | undefined) => Promise<Response | null>;

/**
 * Whether the client is on this machine: the adapter's word, else worked out from the socket peer
 * and the headers (never from a forwarded address, which a client can forge).
 */
function isLocal(request: Request, info: RequestInfo | undefined): boolean {
  if (info?.local !== undefined) return info.local;
  return isLocalClient({
    peer: info?.remoteAddress,
    headers: request.headers,
    httpVersion: info?.httpVersion,
    host: new URL(request.url).host,
  });
}

/**
 * The read routes' check: core's read policy, with wrong keys limited per client. Only a request
 * that presents a key counts or is held back: the dashboard's cookie reads and this machine's
 * keyless reads are never locked out by somebody guessing from the same address.
 */
export function createReadGate(options: HttpHandlerOptions, limits: ClientLimits, logger: Logger): ReadGate {
  const access = createReadAccess(
    {
      readKey: options.readKey,
      apiKey: options.apiKey,
      reads: options.reads,
      hasHook: !!options.authorizeRead,
    },
    { component: 'skopos/transport-http', logger },
  );
  const hook = options.authorizeRead;

  return async (request, info) => {
    const presentedKey = presentedReadKey((name) => request.headers.get(name));
    const budget =
      presentedKey === null || !access.enabled
        ? undefined
        : limits.client({ headers: request.headers, remoteAddress: info?.remoteAddress });
    // Asked before the key is compared, so that a locked-out guesser learns nothing, not even from the right key.
    const wait = budget?.keyRetryAfter() ?? 0;
    if (wait > 0) {
      return toResponse(tooManyAnswer(`too many wrong keys from this address: retry in ${wait} s`, wait));
    }
    const local = isLocal(request, info);
    const facts = { presentedKey, local, hookAllows: undefined as boolean | undefined };
    let verdict = access.decide(facts);
    const keyMissed = !verdict.allowed && verdict.status === 401;
    // Counted before the hook is awaited (concurrent guesses would all pass the check above first),
    // and taken back if the hook lets the request in (a signed-in dashboard with a stale key). The
    // write key is no guess (every tracked page holds it): vite-plugin-monitor's dashboard polling
    // with it must not lock the read key out of its address.
    const guessed = !verdict.allowed && verdict.status === 401 && verdict.writeKey !== true;
    if (guessed) budget?.keyFailed();
    if (keyMissed && hook) {
      facts.hookAllows = await askReadHook(
        () => hook(request, { ...info, local }),
        (why) => logger.warn(why),
      );
      verdict = access.decide(facts);
      if (verdict.allowed && guessed) budget?.keyForgiven();
    }
    if (verdict.allowed) return null;
    return errorResponse(verdict.status, verdict.reason);
  };
}
