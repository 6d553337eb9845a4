/** Store and transport methods may answer synchronously or with a promise (like unstorage drivers). */
export type MaybePromise<T> = T | Promise<T>;
