import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';

const encoder = new TextEncoder();
const hexTable = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += hexTable[byte];
  return out;
}

/**
 * Synchronous SHA-256 (pure JS, any runtime). Web Crypto's digest is async and costs more per
 * call than the hash itself at the pipeline's event rate, hence a sync implementation.
 */
export function sha256Hex(input: string): string {
  return toHex(sha256(encoder.encode(input)));
}

export function sha256Bytes(input: string): Uint8Array {
  return sha256(encoder.encode(input));
}

/** A keyed hasher: the key schedule is computed once and cloned per call. */
export function createHmacSha256(key: string): (input: string) => string {
  const base = hmac.create(sha256, encoder.encode(key));
  return (input) => toHex(base.clone().update(encoder.encode(input)).digest());
}
