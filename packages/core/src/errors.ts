/** Machine-readable reasons for every error Skopos throws. */
export type SkoposErrorCode =
  | 'invalid_options'
  | 'invalid_payload'
  | 'payload_too_large'
  | 'website_not_found'
  | 'store_failed'
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
