import { squeeze } from '../squeeze.ts';
import type { Tracker } from '../types.ts';

export interface ClickCaptureOptions {
  /** Elements whose clicks count (default: links, buttons, `role=button`, submit and button inputs). */
  selector?: string;
  /** Longest label kept (default 100 characters). */
  maxText?: number;
}

const DEFAULT_SELECTOR = 'a[href], button, [role="button"], input[type="submit"], input[type="button"]';

/**
 * Generic click capture: every click on a link or button sends the custom event `click` with
 * `{ tag, text, id?, href? }` — the element's visible label (cut to `maxText`, whitespace squeezed), its
 * id, and for links the target's origin + path (no query or hash). Elements tagged with
 * `data-skopos-event` are left to the core tracker. Opt-in because labels can show personal data
 * ("Log out Jane Doe"): mark such elements `data-skopos-ignore`. Answers a function that stops it.
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 * import { captureClicks } from '@skopos/browser/clicks';
 *
 * captureClicks(createTracker({ site: 'my-app' }));
 */
export function captureClicks(
  tracker: Pick<Tracker, 'track'>,
  options: ClickCaptureOptions = {},
): () => void {
  const selector = options.selector ?? DEFAULT_SELECTOR;
  const maxText = options.maxText ?? 100;
  const listener = (event: MouseEvent): void => {
    const element = (event.target as Element).closest?.<HTMLElement>(selector);
    if (!element || element.closest('[data-skopos-event], [data-skopos-ignore]')) return;
    const label = element instanceof HTMLInputElement ? element.value : (element.textContent ?? '');
    const data: Record<string, string> = {
      tag: element.tagName.toLowerCase(),
      text: squeeze(label, maxText),
    };
    if (element.id) data.id = element.id;
    if (element instanceof HTMLAnchorElement) data.href = element.origin + element.pathname;
    tracker.track('click', data);
  };
  document.addEventListener('click', listener, true);
  return () => document.removeEventListener('click', listener, true);
}
