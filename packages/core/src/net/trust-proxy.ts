/**
 * Which socket peers may tell us the client address through `X-Forwarded-For` / `Forwarded`,
 * with Express's `trust proxy` meanings:
 * - `false` (default): nobody; the socket address is the client.
 * - `true`: everybody; the left-most forwarded address is the client.
 * - a number n: trust the n nearest hops.
 * - a string or list: IPs, CIDR ranges, or the names `loopback`, `linklocal`, `uniquelocal`
 *   (a string may hold several, comma-separated).
 * - a function `(ip, hopIndex) => boolean`.
 */
export type TrustProxySetting =
  | boolean
  | number
  | string
  | readonly string[]
  | ((ip: string, hopIndex: number) => boolean);
