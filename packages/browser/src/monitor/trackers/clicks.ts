import { squeeze } from '../../squeeze.ts';
import type { ClickTrackOptions } from '../options.ts';
import type { MonitorEmit, TrackerContext } from '../types.ts';
import { matches, quiet, startsWithAny } from './match.ts';

/** vite-plugin-monitor's element path: at most 8 steps up, `[n]` only among same-tag siblings. */
function xpath(element: Element): string {
  const steps: string[] = [];
  for (let node: Element | null = element; node && steps.length < 8; node = node.parentElement) {
    const tag = node.tagName;
    const same = node.parentElement ? [...node.parentElement.children].filter((c) => c.tagName === tag) : [];
    steps.unshift(tag.toLowerCase() + (same.length > 1 ? `[${same.indexOf(node) + 1}]` : ''));
  }
  return `/${steps.join('/')}`;
}

/**
 * vite-plugin-monitor's click tracker: every click sends an `info` `click` event with `{ tag, text
 * (≤ 100, whitespace squeezed as `innerText` shows it), id?, classes?, xpath, coordinates }`, except on
 * the dashboard route (`context.ignoreRoutes`), on `ignoreRoutes` (pathname) and inside
 * `ignoreSelectors` or the debug overlay. Capture phase: a handler that stops the click still counts.
 *
 * @example
 * const stop = setupClickTracker(emit, { ignoreSelectors: ['[data-no-track]'] }, context);
 */
export function setupClickTracker(
  emit: MonitorEmit,
  options: ClickTrackOptions | true,
  context: TrackerContext,
): () => void {
  const { ignoreRoutes = [], ignoreSelectors = [] }: ClickTrackOptions = options === true ? {} : options;
  const selectors = ['[data-tracker-overlay]', ...ignoreSelectors];
  const inside = (target: Element, selector: string): boolean => {
    try {
      return !!target.closest(selector);
    } catch {
      return false; // an invalid selector in the config ignores nothing
    }
  };
  const onClick = quiet((event: MouseEvent) => {
    const target = event.target as Element | null;
    const path = location.pathname;
    if (
      !target?.tagName ||
      startsWithAny(path, context.ignoreRoutes) ||
      matches(path, ignoreRoutes) ||
      selectors.some((s) => inside(target, s))
    ) {
      return;
    }
    emit('click', 'info', {
      tag: target.tagName.toLowerCase(),
      text: squeeze(target.textContent ?? '', 100),
      id: target.id || undefined,
      // The attribute, not `className`, which is an object on SVG elements.
      classes: target.getAttribute('class') || undefined,
      xpath: xpath(target),
      coordinates: { x: event.clientX, y: event.clientY },
    });
  });
  const listener: AddEventListenerOptions = { capture: true, passive: true };
  document.addEventListener('click', onClick, listener);
  return () => document.removeEventListener('click', onClick, listener);
}
