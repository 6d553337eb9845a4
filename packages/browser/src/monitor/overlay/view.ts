// The overlay's markup: a static template (no page data in it) and the event rows, whose text comes
// from events and so is only ever set as `textContent`, never parsed as HTML.
import type { MonitorEvent } from '../types.ts';
import { OVERLAY_CSS } from './overlay.styles.ts';
import { summarize } from './summary.ts';

/** vite-plugin-monitor's shortcut (its overlay's `Alt+T`), matched by key or physical key (macOS' Option+T types `†`). */
export const isShortcut = (e: KeyboardEvent): boolean =>
  e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 't' || e.code === 'KeyT');

export const TEMPLATE = `<style>${OVERLAY_CSS}</style>
<div class="root">
<button class="toggle" type="button" aria-expanded="false" title="vite-plugin-monitor debug overlay (Alt+T)">◎</button>
<section class="panel" hidden>
<header><strong>vite-plugin-monitor</strong><button class="close" type="button" title="Hide (Alt+T)">×</button></header>
<label class="field"><span>User ID</span><input name="user-id" autocomplete="off" spellcheck="false"
 placeholder="empty: anonymous" title="Enter applies it (setUser); empty: a new anonymous id; Esc: undo"></label>
<div class="field"><span>Session</span><code class="session"></code></div>
<a class="dashboard" target="_blank" rel="noopener" hidden>Open the dashboard ↗</a>
<ol class="events" aria-label="Recent events, newest first"></ol>
</section>
</div>`;

const cell = (name: string, value: string): HTMLSpanElement => {
  const span = document.createElement('span');
  span.className = name;
  span.textContent = value;
  return span;
};

/** One row of the event list: local time, type, level and a one-line summary. */
export function eventRow(event: MonitorEvent): HTMLLIElement {
  const row = document.createElement('li');
  const summary = summarize(event);
  row.className = event.level;
  row.title = summary;
  const time = new Date(event.timestamp).toLocaleTimeString([], { hour12: false });
  row.append(
    cell('time', time),
    cell('type', event.type),
    cell('level', event.level),
    cell('summary', summary),
  );
  return row;
}
