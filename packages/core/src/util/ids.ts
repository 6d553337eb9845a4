import { sha256Bytes } from './hash.ts';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** PocketBase's record id format: 15 chars of `[a-z0-9]`. */
export const ID_LENGTH = 15;
const idPattern = /^[a-z0-9]{15}$/;

const codes = new Array<number>(ID_LENGTH);

function encode(bytes: Uint8Array): string {
  // 36 does not divide 256: modulo bias is ~1.5% per char, harmless for ids (not secrets).
  for (let i = 0; i < ID_LENGTH; i++) codes[i] = alphabet.charCodeAt((bytes[i] ?? 0) % 36);
  // One flat string: `+=` would build a rope that costs ~4× the memory in V8 while it is kept.
  return String.fromCharCode(...codes);
}

// One getRandomValues call per 273 ids: the call itself costs more than the id at the pipeline's rate.
const pool = new Uint8Array(ID_LENGTH * 273);
let poolOffset = pool.length;

/** A random record id, made in core so a visitor, its session and its events can go in one batch. */
export function newId(): string {
  if (poolOffset + ID_LENGTH > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + ID_LENGTH);
  poolOffset += ID_LENGTH;
  return encode(bytes);
}

/** A record id derived from a key: the same key gives the same id in every process. */
export function idFromKey(key: string): string {
  return encode(sha256Bytes(key));
}

export function isRecordId(value: string): boolean {
  return idPattern.test(value);
}
