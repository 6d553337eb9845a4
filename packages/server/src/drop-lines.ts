/** Refusals of a full queue or a stopping server: mostly answered 503, which trackers retry. */
const RETRIED: ReadonlySet<string> = new Set(['queue_full', 'shut_down']);

/**
 * What `skopos serve` says of `counters().dropped` when it stops: the events dropped, and apart,
 * the refusals of a full queue or a stopping server, counted per attempt and mostly retried (an
 * outage would otherwise read as mass loss when little was lost; a beacon, or a batch already
 * partly queued without event ids, is not sent again). No line for what is zero.
 */
export function dropLines(dropped: Readonly<Record<string, number>>): string[] {
  const counted = Object.entries(dropped).filter(([, n]) => n > 0);
  const list = (entries: [string, number][]): string =>
    entries.map(([reason, n]) => `${n} ${reason}`).join(', ');
  const lost = counted.filter(([reason]) => !RETRIED.has(reason));
  const retried = counted.filter(([reason]) => RETRIED.has(reason));
  const lines: string[] = [];
  if (lost.length > 0) {
    lines.push(`dropped since start: ${list(lost)} (why: the first of each kind is in the log above)`);
  }
  if (retried.length > 0) {
    lines.push(
      `refused since start, the queue full or the server stopping (mostly answered 503, which trackers retry: an event refused twice counts twice): ${list(retried)}`,
    );
  }
  return lines;
}
