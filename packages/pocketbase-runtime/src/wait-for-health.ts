import { setTimeout as sleep } from 'node:timers/promises';
import { SkoposError } from '@skopos/core';

/**
 * Poll `GET /api/health` until it answers 200 and `listening()` (our process said it bound the
 * port), the process dies (`isDead`) or `timeoutMs` passes. Health alone is not enough: another
 * PocketBase that took the same free port first answers it while ours fails to bind and exits.
 */
export async function waitForHealth(
  url: string,
  isDead: () => string | null,
  timeoutMs: number,
  listening: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    const death = isDead();
    if (death !== null) throw new SkoposError('store_failed', `[skopos/pocketbase-runtime] ${death}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok && listening()) return;
      lastError = response.ok ? 'PocketBase has not said it listens yet' : `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(50);
  }
  throw new SkoposError(
    'store_failed',
    `[skopos/pocketbase-runtime] ${url}/api/health did not answer within ${timeoutMs} ms (${lastError}): raise startTimeoutMs on a slow machine`,
  );
}
