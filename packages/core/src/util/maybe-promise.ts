/** Store and transport methods may answer synchronously or with a promise (like unstorage drivers). */
export type MaybePromise<T> = T | Promise<T>;

/** Whether a store's or a hook's answer is still to come: any thenable, not only a native Promise. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
