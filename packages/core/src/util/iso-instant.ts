// A calendar date, optional time with seconds and fraction, optional zone: what `Date#toISOString`
// and browsers produce. Checked before `Date.parse`, which also reads free-form dates ("March 7").
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date or instant (`2024-01-01`, `2024-01-01T00:00:00.000Z`, `…+02:00`) as epoch ms;
 * NaN for anything else, a day the month does not have included (`Date.parse` makes
 * `2024-02-30` the 1st of March).
 *
 * @example
 * parseIsoInstant('2024-02-29T12:00:00Z'); // 1709208000000
 * parseIsoInstant('2023-02-29'); // NaN
 */
export function parseIsoInstant(raw: string): number {
  const match = ISO_INSTANT.exec(raw);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return Number.NaN;
  return Date.parse(raw);
}
