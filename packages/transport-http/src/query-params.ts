import { parseIsoInstant, type ValidationIssue, type ValidationResult } from '@skopos/core';

/** An optional ISO 8601 instant parameter as epoch ms (`undefined` when absent). */
export function isoParam(params: URLSearchParams, name: string): ValidationResult<number | undefined> {
  const raw = params.get(name);
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const ms = parseIsoInstant(raw);
  if (Number.isNaN(ms)) {
    return invalid(
      name,
      `must be an ISO 8601 date such as 2024-01-01T00:00:00.000Z, got "${raw.slice(0, 64)}"`,
    );
  }
  return { ok: true, value: ms };
}

/** An optional integer parameter within [min, max]. */
export function intParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
): ValidationResult<number | undefined> {
  const raw = params.get(name);
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const value = /^-?\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) return invalid(name, `must be an integer from ${min} to ${max}`);
  return { ok: true, value };
}

/**
 * `since` and `until` together (both are instants a read includes). `since` after `until` is refused
 * unless `reversed` is `'empty'`: a read of such a window answers nothing, as vite-plugin-monitor's
 * server does (its dashboard lets a custom range end before it starts).
 */
export function timeRange(
  params: URLSearchParams,
  reversed: 'refuse' | 'empty' = 'refuse',
): ValidationResult<{ since?: number; until?: number }> {
  const since = isoParam(params, 'since');
  if (!since.ok) return since;
  const until = isoParam(params, 'until');
  if (!until.ok) return until;
  if (
    reversed === 'refuse' &&
    since.value !== undefined &&
    until.value !== undefined &&
    since.value > until.value
  ) {
    return invalid('since', 'must not be after until');
  }
  const range: { since?: number; until?: number } = {};
  if (since.value !== undefined) range.since = since.value;
  if (until.value !== undefined) range.until = until.value;
  return { ok: true, value: range };
}

export function invalid(field: string, reason: string): { ok: false; issues: ValidationIssue[] } {
  return { ok: false, issues: [{ field, reason }] };
}
