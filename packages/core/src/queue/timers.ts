export type TimerHandle = ReturnType<typeof setTimeout>;

interface DenoTimers {
  unrefTimer?: (id: number) => void;
}

/**
 * `setTimeout` that does not keep the process alive on its own: Node and Bun answer an object with
 * `unref()`, Deno offers `Deno.unrefTimer(id)`; browsers and edge runtimes have neither and need
 * neither (they do not wait for timers to exit).
 */
export function setBackgroundTimeout(callback: () => void, ms: number): TimerHandle {
  const handle = setTimeout(callback, ms);
  unref(handle);
  return handle;
}

function unref(handle: TimerHandle): void {
  const nodeHandle = handle as unknown as { unref?: unknown };
  if (typeof nodeHandle === 'object' && nodeHandle !== null && typeof nodeHandle.unref === 'function') {
    (nodeHandle.unref as () => void).call(nodeHandle);
  } else if (typeof handle === 'number') {
    const deno = (globalThis as { Deno?: DenoTimers }).Deno;
    deno?.unrefTimer?.(handle);
  }
}

/** `setInterval` that does not keep the process alive on its own (see `setBackgroundTimeout`). */
export function setBackgroundInterval(callback: () => void, ms: number): TimerHandle {
  const handle = setInterval(callback, ms) as unknown as TimerHandle;
  unref(handle);
  return handle;
}
