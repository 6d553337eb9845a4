import type { MaybePromise, Store, WriteBatch } from '@skopos/core';

/**
 * The store with its `write` sent through `send`, everything else untouched. Methods are bound to
 * the real store so class-based stores keep their private fields.
 */
export function routeWrites(store: Store, send: (batch: WriteBatch) => MaybePromise<void>): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'write') return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
