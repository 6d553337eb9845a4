import type { EventLevel, EventMeta, EventRecord } from '@skopos/core';
import { flat } from './flat-string.ts';
import { Interner } from './interner.ts';

/** Separates the shared part's id from the event's own JSON in a stored detail string. */
const SEPARATOR = '|';

/** The part of a detail every event of a tab on one page repeats (meta holds the user agent). */
interface SharedPart {
  meta?: EventMeta;
  context?: Record<string, unknown>;
}

/** The part of a detail that is the event's own. */
interface OwnPart {
  groupId?: string;
  payload?: Record<string, unknown>;
  /** A level outside `EVENT_LEVELS`, which the level column cannot code. */
  level?: string;
}

/**
 * The JSON-valued fields of events (`payload`, `meta`, `context`, `groupId`), kept only for the
 * slots that have some, like `eventData`: events in Skopos' own shape cost nothing here. `meta`
 * and `context` are the same for every event a tab sends from one page, so they are interned
 * (reference-counted) and an event keeps their id next to its own JSON: `<id>|<own JSON>`.
 */
export class EventDetails {
  readonly #bySlot = new Map<number, string>();
  readonly #shared = new Interner();

  /**
   * Keep the detail of `event` in `slot`; `oddLevel` is a level the level column could not code.
   * Answers the characters of JSON it holds for the slot (the shared part counted in full): 0
   * exactly when it keeps nothing, which the ring records as the slot's `HAS_DETAIL` flag.
   */
  set(slot: number, event: EventRecord, oddLevel: string | undefined): number {
    const { meta, context, groupId, payload } = event;
    const hasShared = meta !== undefined || context !== undefined;
    const hasOwn = groupId !== undefined || payload !== undefined || oddLevel !== undefined;
    // Most events in Skopos' own shape have none: no allocation for them.
    if (!hasShared && !hasOwn) return 0;
    let id = '';
    let chars = 0;
    if (hasShared) {
      const shared: SharedPart = {};
      if (meta !== undefined) shared.meta = meta;
      if (context !== undefined) shared.context = context;
      const json = JSON.stringify(shared);
      chars = json.length;
      id = String(this.#shared.intern(json));
    }
    let own = '';
    if (hasOwn) {
      const part: OwnPart = {};
      if (groupId !== undefined) part.groupId = groupId;
      if (payload !== undefined) part.payload = payload;
      if (oddLevel !== undefined) part.level = oddLevel;
      own = JSON.stringify(part);
    }
    this.#bySlot.set(slot, flat(`${id}${SEPARATOR}${own}`));
    return chars + own.length;
  }

  /** The characters `set` answered for `slot`. */
  charsOf(slot: number): number {
    const stored = this.#bySlot.get(slot);
    if (stored === undefined) return 0;
    const at = stored.indexOf(SEPARATOR);
    const shared = at > 0 ? this.#shared.get(Number(stored.slice(0, at))).length : 0;
    return shared + stored.length - at - 1;
  }

  /** Copy the detail of `slot` onto `record` (fresh objects on every read). */
  read(slot: number, record: EventRecord): void {
    const stored = this.#bySlot.get(slot);
    if (stored === undefined) return;
    const at = stored.indexOf(SEPARATOR);
    if (at > 0) {
      const shared = JSON.parse(this.#shared.get(Number(stored.slice(0, at)))) as SharedPart;
      if (shared.context !== undefined) record.context = shared.context;
      if (shared.meta !== undefined) record.meta = shared.meta;
    }
    if (at + 1 < stored.length) {
      const own = JSON.parse(stored.slice(at + 1)) as OwnPart;
      if (own.groupId !== undefined) record.groupId = own.groupId;
      if (own.payload !== undefined) record.payload = own.payload;
      // Kept as written, outside the EventLevel type: the record gives back what it was given.
      if (own.level !== undefined) record.level = own.level as EventLevel;
    }
  }

  /** The level of `slot` that the level column could not code (rare: read only when stats count one). */
  oddLevel(slot: number): string | undefined {
    const stored = this.#bySlot.get(slot);
    if (stored === undefined) return undefined;
    const at = stored.indexOf(SEPARATOR);
    if (at + 1 >= stored.length) return undefined;
    return (JSON.parse(stored.slice(at + 1)) as OwnPart).level;
  }

  /** Forget the detail of `slot`, releasing its shared part. */
  delete(slot: number): void {
    const stored = this.#bySlot.get(slot);
    if (stored === undefined) return;
    const at = stored.indexOf(SEPARATOR);
    if (at > 0) this.#shared.release(Number(stored.slice(0, at)));
    this.#bySlot.delete(slot);
  }

  /**
   * A test of whether the detail of a slot may contain `needle` (lower-cased): true for every
   * detail whose payload, meta, context, groupId or odd level contains it, since the stored JSON
   * holds them verbatim (for a needle without characters JSON escapes). Each shared part is
   * looked at once per test.
   */
  mayContain(needle: string): (slot: number) => boolean {
    const seen = new Int8Array(this.#shared.capacity);
    return (slot) => {
      const stored = this.#bySlot.get(slot);
      if (stored === undefined) return false;
      const at = stored.indexOf(SEPARATOR);
      if (at > 0) {
        const id = Number(stored.slice(0, at));
        if (seen[id] === 0) seen[id] = this.#shared.get(id).toLowerCase().includes(needle) ? 1 : 2;
        if (seen[id] === 1) return true;
      }
      return stored
        .slice(at + 1)
        .toLowerCase()
        .includes(needle);
    };
  }
}
