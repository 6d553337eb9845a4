const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random `eventId` (20 chars `[a-z0-9]`, ~103 bits). `crypto.getRandomValues` rather than
 * `randomUUID`, which browsers expose only on secure origins.
 */
export function newEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let id = '';
  for (const byte of bytes) id += alphabet[byte % 36];
  return id;
}
