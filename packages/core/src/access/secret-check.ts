import { sha256Hex } from '../util/hash.ts';

/**
 * A checker for a shared secret (write key, read key). Both sides are hashed first so the
 * comparison runs over two fixed-length digests: its time depends neither on where they differ
 * nor on the secret's length.
 *
 * @example
 * const matches = createSecretCheck(process.env.SKOPOS_READ_KEY ?? '');
 * matches(request.headers.get('x-tracker-key')); // true or false
 */
export function createSecretCheck(secret: string): (presented: string | null | undefined) => boolean {
  const expected = sha256Hex(secret);
  return (presented) => {
    if (presented === null || presented === undefined) return false;
    const actual = sha256Hex(presented);
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ actual.charCodeAt(i);
    return diff === 0;
  };
}
