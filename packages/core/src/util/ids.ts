import { sha256Latin1 } from './hash.ts';

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

/** Byte → the char code of its id character (the same `% 36` as `encode`). */
const byteChars = Uint16Array.from({ length: 256 }, (_, byte) => alphabet.charCodeAt(byte % 36));

function charOf(digest: string, i: number): number {
  return byteChars[digest.charCodeAt(i) & 0xff] as number;
}

/**
 * A record id derived from a key: the same key gives the same id in every process (the first 15
 * bytes of its SHA-256, as `encode` maps them; stored ids must not change, stores dedup by them).
 */
export function idFromKey(key: string): string {
  const digest = sha256Latin1(key);
  // ID_LENGTH arguments written out: one flat string, without the array and spread of `encode`.
  return String.fromCharCode(
    charOf(digest, 0),
    charOf(digest, 1),
    charOf(digest, 2),
    charOf(digest, 3),
    charOf(digest, 4),
    charOf(digest, 5),
    charOf(digest, 6),
    charOf(digest, 7),
    charOf(digest, 8),
    charOf(digest, 9),
    charOf(digest, 10),
    charOf(digest, 11),
    charOf(digest, 12),
    charOf(digest, 13),
    charOf(digest, 14),
  );
}

export function isRecordId(value: string): boolean {
  return idPattern.test(value);
}
