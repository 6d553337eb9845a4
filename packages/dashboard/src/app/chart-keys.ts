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

/** What a chart tells `bindCursor`: the bucket under the cursor and how to show or hide one. */
export interface ChartCursor {
  active(): number | undefined;
  count(): number;
  show(i: number): void;
  hide(): void;
}

/**
 * The cursor's inputs, the same on both charts: the pointer over a bucket (`data-i`), leaving or
 * blurring hides it, the keys of `keyedBucket` move it.
 */
export function bindCursor(plot: HTMLElement, cursor: ChartCursor): void {
  plot.addEventListener('pointermove', (event) => {
    const i = (event.target as Element).getAttribute('data-i');
    if (i !== null && Number(i) !== cursor.active()) cursor.show(Number(i));
  });
  plot.addEventListener('pointerleave', cursor.hide);
  plot.addEventListener('blur', cursor.hide);
  plot.addEventListener('keydown', (event) => {
    const to = keyedBucket(event.key, cursor.active(), cursor.count());
    if (to === undefined) return;
    if (to === null) cursor.hide();
    else cursor.show(to);
    event.preventDefault();
  });
}

/** Places the tooltip beside the cursor at `x`, on the side with room. */
export function placeTip(tip: HTMLElement, plot: HTMLElement, x: number): void {
  const flip = x > plot.clientWidth / 2;
  tip.style.left = flip ? '' : `${x + 10}px`;
  tip.style.right = flip ? `${plot.clientWidth - x + 10}px` : '';
}
