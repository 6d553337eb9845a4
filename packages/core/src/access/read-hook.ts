/** How long an `authorizeRead` hook may take before the read is refused. */
export const READ_HOOK_TIMEOUT_MS = 5000;

/**
 * Asks an app's `authorizeRead` hook, answering `false` when it throws, rejects, answers anything
 * but `true`, or takes longer than `timeoutMs` (a hung session store must not hang every read).
 * `onProblem` hears why a throw or a timeout refused the read.
 */
export async function askReadHook(
  hook: () => unknown,
  onProblem: (why: string) => void,
  timeoutMs = READ_HOOK_TIMEOUT_MS,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(hook), late]);
    if (answer === 'late') {
      onProblem(`authorizeRead did not answer within ${timeoutMs} ms: the read is refused`);
      return false;
    }
    return answer === true;
  } catch (error) {
    onProblem(`authorizeRead threw: the read is refused (${String(error)})`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
