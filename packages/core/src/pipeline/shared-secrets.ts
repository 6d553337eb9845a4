import type { Logger } from '../logger.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { Store } from '../store/store.ts';

type SecretKeeper = Pick<Store, 'ensureSecret'>;

/**
 * Where the visitor-id salts are kept when sessions are shared. The store's word comes first (a
 * salt stored long ago must win, and it outlives a wiped session store), then the session store
 * settles it atomically: processes that start together on a store without compare-and-set would
 * otherwise each keep their own salt, and count a visitor once per process.
 */
export function sharedSecrets(
  durable: SecretKeeper,
  sessions: SessionStore | undefined,
  logger: Logger,
): SecretKeeper {
  const settle = sessions?.ensureSecret?.bind(sessions);
  if (settle === undefined) return durable;
  return {
    async ensureSecret(key, value) {
      const kept = durable.ensureSecret ? await durable.ensureSecret(key, value) : value;
      try {
        return await settle(key, kept);
      } catch (error) {
        // A session store that is down must not stop ingest: the store's word stands, for this
        // process (it is what the session store settles on too, unless processes started together
        // on a store without compare-and-set).
        logger.warn(
          `shared sessions (${sessions?.name}) could not settle the visitor-id salt; using the store's`,
          {
            error: String(error),
          },
        );
        return kept;
      }
    },
  };
}
