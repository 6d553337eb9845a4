/**
 * Runs `attempt` until it resolves, waiting `nextDelay()` ms after each failure, and gives up once
 * `timeoutMs` has passed — even when an attempt hangs. Answers whether an attempt succeeded.
 * The timers are referenced on purpose: during shutdown the process should wait for the data.
 */
export async function retryUntil(
  attempt: () => Promise<void>,
  nextDelay: () => number,
  timeoutMs: number,
): Promise<boolean> {
  let expired = false;
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => {
    deadlineTimer = setTimeout(() => {
      expired = true;
      resolve(false);
    }, timeoutMs);
  });
  const startedAt = Date.now();
  const work = async (): Promise<boolean> => {
    while (!expired) {
      try {
        await attempt();
        return true;
      } catch {
        const left = timeoutMs - (Date.now() - startedAt);
        if (expired || left <= 0) return false;
        // Capped by the time left, so no timer outlives the deadline by more than a tick.
        await new Promise((resolve) => setTimeout(resolve, Math.min(nextDelay(), left)));
      }
    }
    return false;
  };
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(deadlineTimer);
  }
}
