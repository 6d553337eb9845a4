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
  const nodeHandle = handle as unknown as { unref?: unknown };
  if (typeof nodeHandle === 'object' && nodeHandle !== null && typeof nodeHandle.unref === 'function') {
    (nodeHandle.unref as () => void).call(nodeHandle);
  } else if (typeof handle === 'number') {
    const deno = (globalThis as { Deno?: DenoTimers }).Deno;
    deno?.unrefTimer?.(handle);
  }
  return handle;
}
