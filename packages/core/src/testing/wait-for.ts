export interface WaitForOptions {
  /** Give up after this many ms (default 1000). */
  timeout?: number;
  /** Retry every this many ms (default 20). */
  interval?: number;
}

/**
 * Retry `check` until it stops throwing, then return its value; after `timeout`, rethrow its last
 * error. The suite's own `vi.waitFor`, so cases that wait on delivery also run outside vitest.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeout = 1_000, interval = 20 }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
