import { sha256Bytes } from './hash.ts';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** PocketBase's record id format: 15 chars of `[a-z0-9]`. */
export const ID_LENGTH = 15;
const idPattern = /^[a-z0-9]{15}$/;

function encode(bytes: Uint8Array): string {
  let id = '';
  // 36 does not divide 256: modulo bias is ~1.5% per char, harmless for ids (not secrets).
  for (let i = 0; i < ID_LENGTH; i++) id += alphabet[(bytes[i] ?? 0) % 36];
  return id;
}

/** A random record id, made in core so a visitor, its session and its events can go in one batch. */
export function newId(): string {
  return encode(crypto.getRandomValues(new Uint8Array(ID_LENGTH)));
}

/** A record id derived from a key: the same key gives the same id in every process. */
export function idFromKey(key: string): string {
  return encode(sha256Bytes(key));
}

export function isRecordId(value: string): boolean {
  return idPattern.test(value);
}
