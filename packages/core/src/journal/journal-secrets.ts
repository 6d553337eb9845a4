import type { Store } from '../store/store.ts';
import type { JournalEntry, JournalSink } from './journal.ts';

/**
 * The visitor-id salts, kept in the journal too: a store that forgets them on restart (the memory
 * store) would otherwise give every returning visitor a new id, and so a new session. The store's
 * own value still wins where it keeps one (first writer wins).
 */
export class JournalSecrets {
  readonly #journal: JournalSink;
  readonly #store: Store;
  readonly #known = new Map<string, string>();

  constructor(journal: JournalSink, store: Store) {
    this.#journal = journal;
    this.#store = store;
  }

  /** A salt an earlier run journaled. */
  recovered(key: string, value: string): void {
    this.#known.set(key, value);
  }

  /** Every salt, for the journal's snapshot. */
  entries(): JournalEntry[] {
    return Array.from(this.#known, ([key, v]) => ({ k: 'secret', key, v }) as const);
  }

  /** `Store.ensureSecret` for the visitor hasher, offering the journaled salt first. */
  readonly ensureSecret = async (key: string, candidate: string): Promise<string> => {
    const offered = this.#known.get(key) ?? candidate;
    const value = this.#store.ensureSecret ? await this.#store.ensureSecret(key, offered) : offered;
    if (this.#known.get(key) !== value) {
      this.#known.set(key, value);
      this.#journal.append({ k: 'secret', key, v: value });
    }
    return value;
  };
}
