import { sha256Hex } from '@skopos/core';

/**
 * A checker for the shared API key sent in `auth` (the HTTP transport's `X-Tracker-Key`). Both sides are hashed first so the comparison
 * runs over two fixed-length digests: its time depends neither on where they differ nor on the
 * secret's length.
 */
export function createKeyCheck(apiKey: string): (presented: string) => boolean {
  const expected = sha256Hex(apiKey);
  return (presented) => {
    const actual = sha256Hex(presented);
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ actual.charCodeAt(i);
    return diff === 0;
  };
}
