import type { Api, WireEvent } from './api.ts';
import { el, formatCount, formatTime } from './format.ts';

const TYPES = ['pageView', 'custom', 'jsError', 'click', 'navigation'];

export interface EventsTable {
  /** Reloads the first page for a window (keeps the filters); `keepPages` spares pages loaded by hand. */
  load(since: number, until: number, keepPages: boolean): Promise<void>;
}

function row(event: WireEvent): HTMLTableRowElement {
  const data = event.eventData ? JSON.stringify(event.eventData) : '';
  return el(
    'tr',
    { 'data-type': event.type },
    el('td', { class: 'nowrap' }, formatTime(event.timestamp)),
    el('td', {}, el('span', { class: `tag tag-${event.type}` }, event.type)),
    el('td', { class: 'mono' }, event.path),
    el('td', {}, event.eventName),
    el('td', { class: 'mono muted clip', title: data }, data),
    el('td', { class: 'mono muted' }, event.session.slice(0, 8)),
  );
}

/**
 * The events table: the server filters by type and pages with its cursor (50 rows at a time, newest
 * first), so a store of 500k events never reaches the browser; the text box narrows loaded rows.
 */
export function createEventsTable(root: HTMLElement, api: Api): EventsTable {
  const type = el(
    'select',
    { 'aria-label': 'Event type', name: 'type' },
    el('option', { value: '' }, 'All types'),
  );
  for (const name of TYPES) type.append(el('option', { value: name }, name));
  const search = el('input', { type: 'search', placeholder: 'Filter path or name…', 'aria-label': 'Filter' });
  const summary = el('span', { class: 'muted', 'data-events-total': '' });
  const body = el('tbody');
  const more = el('button', { type: 'button', class: 'more' }, 'Load more');
  root.replaceChildren(
    el('div', { class: 'filters' }, type, search, summary),
    el(
      'table',
      { class: 'table events' },
      el(
        'thead',
        {},
        el('tr', {}, ...['Time', 'Type', 'Path', 'Name', 'Data', 'Session'].map((h) => el('th', {}, h))),
      ),
      body,
    ),
    more,
  );

  let events: WireEvent[] = [];
  let total = 0;
  let cursor: string | undefined;
  let range: { since: number; until: number } = { since: 0, until: 0 };

  const draw = (): void => {
    const needle = search.value.trim().toLowerCase();
    const shown = needle
      ? events.filter((e) => `${e.path} ${e.eventName}`.toLowerCase().includes(needle))
      : events;
    body.replaceChildren(...shown.map(row));
    summary.textContent = `${formatCount(shown.length)} shown of ${formatCount(total)}`;
    more.hidden = cursor === undefined;
  };

  const fetchPage = async (append: boolean): Promise<void> => {
    const filter: { type?: string; cursor?: string } = {};
    if (type.value) filter.type = type.value;
    if (append && cursor) filter.cursor = cursor;
    const page = await api.events(range.since, range.until, filter);
    events = append ? events.concat(page.events) : page.events;
    total = page.total;
    cursor = page.nextCursor;
    draw();
  };

  type.addEventListener('change', () => void fetchPage(false));
  search.addEventListener('input', draw);
  more.addEventListener('click', () => void fetchPage(true));

  return {
    async load(since, until, keepPages) {
      range = { since, until };
      // A periodic refresh must not throw away pages the reader loaded by hand.
      if (keepPages && cursor !== undefined && events.length > 50) return;
      await fetchPage(false);
    },
  };
}
