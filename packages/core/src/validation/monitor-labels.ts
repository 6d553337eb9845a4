import { sha256Hex } from '../util/hash.ts';
import { LIMITS } from './limits.ts';
import { truncate } from './text.ts';

/** The vite-plugin-monitor labels stored cut (see `storedMonitorLabel`), with their stored lengths. */
const STORED_CHARS = { userId: LIMITS.userIdMaxChars, groupId: LIMITS.clientIdMaxChars } as const;

/**
 * A vite-plugin-monitor `userId` or `groupId` as stored: unchanged up to 255 / 128 characters, else
 * its head, `~` and 16 hex digits of the SHA-256 of the whole, so that long ids stay apart (its
 * group ids are `grp_<label>_<counter>_<time>`: their unique part is last). Read filters are asked
 * the same way (`withStoredLabels`), so the id the app knows still finds its events.
 *
 * @example
 * storedMonitorLabel('groupId', 'grp_checkout_1_1767261600000'); // unchanged
 */
export function storedMonitorLabel(field: keyof typeof STORED_CHARS, value: string): string {
  const max = STORED_CHARS[field];
  if (value.length <= max) return value;
  return `${truncate(value, max - 17)}~${sha256Hex(value).slice(0, 16)}`;
}

/**
 * A read's `userId` and `groupId` filters as stored (see `storedMonitorLabel`): `skopos.query` asks
 * the store with them, whichever transport the read came by. The same object when neither is long.
 */
export function withStoredLabels<T extends { userId?: string; groupId?: string }>(query: T): T {
  const { userId, groupId } = query;
  const user = userId === undefined ? userId : storedMonitorLabel('userId', userId);
  const group = groupId === undefined ? groupId : storedMonitorLabel('groupId', groupId);
  if (user === userId && group === groupId) return query;
  return {
    ...query,
    ...(user === undefined ? {} : { userId: user }),
    ...(group === undefined ? {} : { groupId: group }),
  };
}
