import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';

/**
 * Warns once when the store starts evicting stored events to stay within its bounds (a ring
 * buffer): from then on the oldest are no longer readable, which an operator should hear about
 * rather than find out from a dashboard's missing days. `counters().evicted` keeps the count.
 */
export function evictionWarning(store: Store, logger: Logger): { check(): void } {
  let warned = false;
  return {
    check() {
      if (warned || !store.evicted) return;
      warned = true;
      logger.warn(
        `the ${store.name} store is at its size limit and evicts its oldest events to take new ones (${store.evicted} so far, counted in counters().evicted): raise the limit to keep more`,
      );
    },
  };
}
