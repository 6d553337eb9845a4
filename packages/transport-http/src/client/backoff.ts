/**
 * The wait before attempt `failures + 1`: exponential from `baseMs`, capped at `maxMs`, with "equal
 * jitter" (half fixed, half random) so clients that failed together do not return together and the
 * wait never shrinks to zero. A server's `Retry-After` is a floor.
 */
export function backoffDelay(
  failures: number,
  retry: { baseMs: number; maxMs: number },
  retryAfterMs?: number,
): number {
  const exponential = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
