import type { SessionStore } from '../session/session-store.ts';
import type { Store } from '../store/store.ts';

type SecretKeeper = Pick<Store, 'ensureSecret'>;

/**
 * Where the visitor-id salts are kept when sessions are shared. The store's word comes first (a
 * salt stored long ago must win, and it outlives a wiped session store), then the session store
 * settles it atomically: processes that start together on a store without compare-and-set would
 * otherwise each keep their own salt, and count a visitor once per process.
 */
export function sharedSecrets(durable: SecretKeeper, sessions: SessionStore | undefined): SecretKeeper {
  const settle = sessions?.ensureSecret?.bind(sessions);
  if (settle === undefined) return durable;
  return {
    async ensureSecret(key, value) {
      const kept = durable.ensureSecret ? await durable.ensureSecret(key, value) : value;
      return settle(key, kept);
    },
  };
}
