/**
 * Cuts `value` to at most `max` UTF-16 units without splitting a surrogate pair, so a stored
 * value never ends in half an emoji (which some stores and JSON encoders reject).
 */
export function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  // A high surrogate at the edge would lose its partner: drop it too.
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
