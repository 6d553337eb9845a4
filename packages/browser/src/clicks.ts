import { on } from './listen.ts';

type Track = (name: string, data: Record<string, string>) => void;

/**
 * `<button data-skopos-event="signup" data-skopos-plan="pro">` sends the custom event `signup` with
 * `{ plan: 'pro' }` when it (or anything inside it) is clicked. Property names are the attribute
 * names after `data-skopos-`, as written (`data-skopos-plan-id` → `plan-id`).
 */
export function captureTaggedClicks(track: Track): void {
  on(document, 'click', (event: MouseEvent) => {
    const element = (event.target as Element).closest?.('[data-skopos-event]');
    if (!element) return;
    const data: Record<string, string> = {};
    for (const { name, value } of element.attributes) {
      const property = /^data-skopos-(.+)/.exec(name)?.[1];
      if (property) data[property] = value;
    }
    const { event: name, ...properties } = data;
    track(name as string, properties);
  });
}
