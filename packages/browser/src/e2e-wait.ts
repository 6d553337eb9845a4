/**
 * Polls until `done` holds or `timeoutMs` has passed, whichever comes first: the end-to-end tests
 * wait on what the server did (a beacon lands after its page closed), never for a fixed time, and
 * let their assertions say what is missing after a timeout.
 */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
