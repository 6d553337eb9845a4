/**
 * Adds a capturing listener: an app calling `stopPropagation()` must not hide its clicks from the
 * tracker. Listeners are never removed; a stopped tracker ignores what they report (less code).
 */
export function on<E extends Event>(target: EventTarget, type: string, listener: (event: E) => void): void {
  target.addEventListener(type, listener as EventListener, true);
}
