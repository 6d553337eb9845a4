/** Machine-readable reasons for every error Skopos throws. */
export type SkoposErrorCode =
  | 'invalid_options'
  | 'invalid_payload'
  | 'payload_too_large'
  | 'website_not_found'
  | 'store_failed'
  /**
   * The store refused a write for what it carries (a value its schema does not allow), not for
   * being down: the same write would fail again. Stores throw it so that the write queue sets the
   * refused events aside instead of retrying them forever (see `Store.write`).
   */
  | 'store_rejected'
  | 'auth_failed'
  | 'transport_failed'
  /** An optional package a feature needs is not installed or cannot load (e.g. geoip-lite). */
  | 'dependency_missing'
  | 'shut_down'
  | 'queue_overflow';

/**
 * The one error base of Skopos. Messages start with the package (`[skopos/core] …`) and say what
 * to do; `code` is stable for programs, `cause` keeps the underlying error.
 */
export class SkoposError extends Error {
  readonly code: SkoposErrorCode;

  constructor(code: SkoposErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SkoposError';
    this.code = code;
  }
}

export function isSkoposError(value: unknown): value is SkoposError {
  return value instanceof SkoposError;
}

/**
 * Whether a store's failure is a refusal of the data (`code: 'store_rejected'`). Read by duck type,
 * not `instanceof`: a store built against another copy of this package (ESM beside CommonJS) throws
 * its own `SkoposError` class.
 */
export function isStoreRejection(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'store_rejected'
  );
}
