import { EVENT_LEVELS, MONITOR_EVENT_TYPES, SKOPOS_EVENT_TYPES } from '@skopos/core/lite';
import type { Api, Scope, WireEvent } from './api.ts';
import { createEventDetail } from './event-detail.ts';
import { el, formatCount, formatTime } from './format.ts';
import {
  filtersLocally,
  matchesLocally,
  type ParsedSearch,
  parseSearch,
  SEARCH_HINT,
} from './search-query.ts';

/** Every type a stored event can have (core's vocabulary): Skopos' own, then vite-plugin-monitor's. */
export const KNOWN_TYPES: readonly string[] = [...new Set([...SKOPOS_EVENT_TYPES, ...MONITOR_EVENT_TYPES])];
export const LEVELS = EVENT_LEVELS;

export interface TableQuery extends Scope {
  type: string;
  level: string;
  q: string;
}

export type FilterChange = Partial<Pick<TableQuery, 'type' | 'level' | 'q'>>;

export interface EventsTable {
  /** Reloads the first page (`keepPages`: a periodic refresh keeps pages loaded by hand). */
  load(query: TableQuery, keepPages: boolean): Promise<void>;
  /** Puts the filters' values (from the URL) into the controls. */
  setFilters(query: Pick<TableQuery, 'type' | 'level' | 'q'>): void;
  /** The options: only values with events in the window (and the one selected). */
  setFacets(types: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): void;
  /** Types of the loaded rows (a type unknown to the page still gets an option). */
  loadedTypes(): string[];
  /** Shows the Site column (several sites, none picked). */
  showSites(show: boolean): void;
}

function row(event: WireEvent, sites: boolean): HTMLTableRowElement {
  const data = event.eventData ? JSON.stringify(event.eventData) : '';
  const level = event.level ?? '';
  return el(
    'tr',
    // Focusable: Enter opens the detail panel, like a click.
    { 'data-type': event.type, tabindex: '0', class: 'event-row' },
    el('td', { class: 'nowrap', 'data-time': event.timestamp }, formatTime(event.timestamp)),
    el('td', {}, el('span', { class: `tag tag-${event.type}` }, event.type)),
    el('td', {}, el('span', { class: `level level-${level}` }, level)),
    ...(sites ? [el('td', { class: 'mono' }, event.appId ?? '')] : []),
    el('td', { class: 'mono', 'data-col': 'path' }, event.path),
    el('td', {}, event.eventName),
    el('td', { class: 'mono muted clip', title: data }, data),
    el('td', { class: 'mono muted' }, event.session.slice(0, 8)),
  );
}

function fillOptions(
  select: HTMLSelectElement,
  all: string,
  counts: ReadonlyMap<string, number>,
  keep: string,
): void {
  // Options rebuilt under an open dropdown close it (the refresh runs every few seconds on Live):
  // leave a focused select alone until the next refresh after it is left.
  if (document.activeElement === select) return;
  const options = [el('option', { value: '' }, all)];
  for (const [value, count] of counts) {
    if (count > 0 || value === keep) {
      options.push(el('option', { value }, `${value} (${formatCount(count)})`));
    }
  }
  if (keep && !counts.has(keep)) options.push(el('option', { value: keep }, `${keep} (0)`));
  select.replaceChildren(...options);
  select.value = keep;
}

/**
 * The events table: the server filters by type, level and text and pages with its cursor (50 rows
 * at a time, newest first), so a store of 500k events never reaches the browser.
 */
export function createEventsTable(
  root: HTMLElement,
  api: Api,
  onChange: (change: FilterChange, push: boolean) => void,
): EventsTable {
  const type = el('select', { 'aria-label': 'Event type', name: 'type', id: 'type-filter' });
  const level = el('select', { 'aria-label': 'Level', name: 'level', id: 'level-filter' });
  fillOptions(type, 'All types', new Map(), '');
  fillOptions(level, 'All levels', new Map(LEVELS.map((l) => [l, 0])), '');
  const search = el('input', {
    type: 'search',
    id: 'search-filter',
    placeholder: 'Search… type:click -word "a phrase"',
    'aria-label': 'Search events',
    'aria-describedby': 'search-hint',
  });
  const hint = el('p', { class: 'hint muted', id: 'search-hint' }, SEARCH_HINT);
  const summary = el('span', { class: 'muted', 'data-events-total': '' });
  const head = el('tr');
  const body = el('tbody');
  const more = el('button', { type: 'button', class: 'more' }, 'Load more');
  root.replaceChildren(
    el('div', { class: 'filters' }, type, level, search, summary),
    hint,
    el('div', { class: 'table-wrap' }, el('table', { class: 'table events' }, el('thead', {}, head), body)),
    more,
  );

  let events: WireEvent[] = [];
  let total = 0;
  let cursor: string | undefined;
  /** Whether the reader loaded pages with "Load more" since the last filter change. */
  let pagedByHand = false;
  let query: TableQuery | undefined;
  let sites = false;
  let parsed: ParsedSearch = parseSearch('');
  const rowEvents = new WeakMap<Element, WireEvent>();
  const detail = createEventDetail();

  const draw = (): void => {
    const columns = ['Time', 'Type', 'Level', ...(sites ? ['Site'] : []), 'Path', 'Name', 'Data', 'Session'];
    head.replaceChildren(...columns.map((h) => el('th', {}, h)));
    const shown = events.filter((e) => matchesLocally(e, parsed));
    body.replaceChildren(
      ...shown.map((e) => {
        const tr = row(e, sites);
        rowEvents.set(tr, e);
        return tr;
      }),
    );
    const hidden = events.length - shown.length;
    summary.textContent =
      `${formatCount(shown.length)} shown of ${formatCount(total)}` +
      (filtersLocally(parsed) ? ` (${formatCount(hidden)} loaded rows hidden by -word / "phrase")` : '');
    more.hidden = cursor === undefined;
  };

  const fetchPage = async (append: boolean): Promise<void> => {
    if (!query) return;
    const asked = query;
    const terms = parseSearch(asked.q);
    // An operator in the box wins over the select of the same field.
    const page = await api.events(asked, {
      type: terms.type ?? asked.type,
      level: terms.level ?? asked.level,
      ...(terms.userId ? { userId: terms.userId } : {}),
      ...(terms.sessionId ? { sessionId: terms.sessionId } : {}),
      search: terms.search,
      ...(append && cursor ? { cursor } : {}),
    });
    if (asked !== query) return; // a newer load replaced this one
    parsed = terms;
    events = append ? events.concat(page.events) : page.events;
    pagedByHand = append;
    total = page.total;
    cursor = page.nextCursor;
    draw();
  };

  type.addEventListener('change', () => onChange({ type: type.value }, true));
  level.addEventListener('change', () => onChange({ level: level.value }, true));
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => onChange({ q: search.value.trim() }, false), 300);
  });
  more.addEventListener('click', () => void fetchPage(true));
  const openRow = (target: EventTarget | null): void => {
    const tr = target instanceof Element ? target.closest('tr') : null;
    const event = tr ? rowEvents.get(tr) : undefined;
    if (event) detail.open(event);
  };
  body.addEventListener('click', (event) => openRow(event.target));
  body.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof HTMLTableRowElement) {
      event.preventDefault();
      openRow(event.target);
    }
  });

  return {
    async load(next, keepPages) {
      // A periodic refresh must not throw away pages the reader loaded by hand, the last one included;
      // nor replace the query, or a "Load more" answer arriving meanwhile would be thrown away.
      if (keepPages && pagedByHand) return;
      query = next;
      await fetchPage(false);
    },
    setFilters(filters) {
      for (const [select, value] of [
        [type, filters.type],
        [level, filters.level],
      ] as const) {
        if (![...select.options].some((o) => o.value === value))
          select.append(el('option', { value }, value));
        select.value = value;
      }
      if (document.activeElement !== search) search.value = filters.q;
    },
    setFacets(types, levels) {
      fillOptions(type, 'All types', types, query?.type ?? type.value);
      fillOptions(level, 'All levels', levels, query?.level ?? level.value);
    },
    loadedTypes: () => [...new Set(events.map((e) => e.type))],
    showSites(show) {
      if (show === sites) return;
      sites = show;
      draw();
    },
  };
}
