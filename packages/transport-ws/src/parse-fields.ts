import { parseIsoInstant } from '@skopos/core';
import type { MessageId } from './protocol.ts';

/** Longest `id` or `reqId` a client may choose. */
export const MAX_ID_LENGTH = 128;

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isMessageId(value: unknown): value is MessageId {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** A non-empty string of at most `max` chars; `undefined` when absent, `false` when invalid. */
export function optionalString(fields: Fields, name: string, max: number): string | undefined | false {
  const value = fields[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : false;
}

/** An ISO 8601 string or epoch ms as epoch ms; `undefined` when absent, `false` when invalid. */
export function instant(value: unknown): number | undefined | false {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : false;
  if (typeof value !== 'string') return false;
  const ms = parseIsoInstant(value);
  return Number.isNaN(ms) ? false : ms;
}
