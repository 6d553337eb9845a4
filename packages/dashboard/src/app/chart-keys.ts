/**
 * The bucket a key moves a chart's cursor to: the arrows one bucket (from outside the chart, the
 * first press lands on an end), Home and End the ends; `null` for Escape (hide the cursor);
 * `undefined` for any other key, which stays the browser's. Shared by both charts so they read alike.
 */
export function keyedBucket(
  key: string,
  active: number | undefined,
  count: number,
): number | null | undefined {
  if (key === 'Escape') return null;
  const last = count - 1;
  if (last < 0) return undefined;
  const moves: Record<string, number> = {
    ArrowLeft: Math.max(0, (active ?? last + 1) - 1),
    ArrowRight: Math.min(last, (active ?? -1) + 1),
    Home: 0,
    End: last,
  };
  return moves[key];
}
