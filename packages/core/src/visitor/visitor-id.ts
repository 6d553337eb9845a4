/**
 * - `legacy`: SHA-256 of `${siteId}-${ip}-${ua}`, byte-for-byte the original Skopos SDK's id.
 * - `stable` (default): HMAC-SHA256 keyed by a secret salt kept in the store, so ids cannot be
 *   reversed by hashing every IPv4 address.
 * - `daily`: the salt rotates each UTC day (the previous day's id still matches during the
 *   overlap), so a visitor cannot be followed across days.
 */
export type VisitorIdMode = 'legacy' | 'stable' | 'daily';
