/**
 * The clock when a long-lived part is made, or `undefined` when the clock cannot be read yet: a
 * Cloudflare Worker answers 0 at its top level (time moves only inside requests), where a pipeline
 * is usually made. Callers then take the time at their first use instead.
 */
export function startTime(): number | undefined {
  const now = Date.now();
  return now > 0 ? now : undefined;
}
