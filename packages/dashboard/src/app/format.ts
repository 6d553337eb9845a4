import { TIME_TICKS_MAX_SPAN_MS } from './tick-step.ts';

const integer = new Intl.NumberFormat();

export function formatCount(value: number): string {
  return integer.format(value);
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A fraction (0.727) as a percentage in the browser's locale: `72.7%`, `72,7 %`. */
export function formatPercent(fraction: number): string {
  return percent.format(fraction);
}

// Client-measured durations: whole ms from 10 ms up (sub-ms precision there is noise), seconds from 1 s.
const ms = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 });
const msFine = new Intl.NumberFormat(undefined, {
  style: 'unit',
  unit: 'millisecond',
  maximumFractionDigits: 1,
});
const sec = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'second', maximumFractionDigits: 2 });

/** Milliseconds as `8.5 ms`, `21 ms`, `2.88 sec` (the browser's locale); `–` for none. */
export function formatMs(value: number): string {
  if (!(value > 0)) return '–';
  if (value >= 1000) return sec.format(value / 1000);
  return (value < 10 ? msFine : ms).format(value);
}

/** Seconds as `42s`, `3m 05s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The one date-and-time format of the page, in the browser's locale: tables, tooltips and the
 * range inputs' summary all go through it.
 */
export const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
const dateTime = new Intl.DateTimeFormat(undefined, DATE_TIME_OPTIONS);

export function formatTime(value: string | number): string {
  return dateTime.format(new Date(value));
}

// Axis ticks are shorter parts of the same locale's format: a time of day, or a day.
const tickTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const tickDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A tick label: the time of day for windows up to 36 h, else the day. */
export function formatTick(t: number, spanMs: number): string {
  if (spanMs <= TIME_TICKS_MAX_SPAN_MS) return tickTime.format(t);
  // Buckets start at midnight by the offset at the range's end; across a daylight-saving change
  // the earlier ones start at 23:00 the day before, which is that next day's bar.
  return tickDay.format(new Date(t).getHours() === 23 ? t + 3_600_000 : t);
}

/** A small element factory: keeps rendering code short without a framework. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** `el` for SVG elements. */
export function svg(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A scrolling data table: one header row of `headings`, then `rows` (each a `<tr>`). */
export function dataTable(headings: readonly HTMLElement[], rows: readonly HTMLElement[]): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', { class: 'table' }, el('thead', {}, el('tr', {}, ...headings)), el('tbody', {}, ...rows)),
  );
}
