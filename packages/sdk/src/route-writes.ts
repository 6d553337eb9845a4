import type { MaybePromise, Store, WriteBatch } from '@skopos/core';

/**
 * The store with its `write` sent through `send`, everything else untouched. Methods are bound to
 * the real store so class-based stores keep their private fields; each bound copy is kept while the
 * store's method stays the same, since the pipeline reads some (`getVisitor`, `findSession`) for
 * every new session.
 */
export function routeWrites(store: Store, send: (batch: WriteBatch) => MaybePromise<void>): Store {
  const bound = new Map<PropertyKey, { method: (...args: never[]) => unknown; copy: unknown }>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'write') return send;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const known = bound.get(property);
      if (known?.method === value) return known.copy;
      const copy: unknown = value.bind(target);
      bound.set(property, { method: value as (...args: never[]) => unknown, copy });
      return copy;
    },
  });
}
