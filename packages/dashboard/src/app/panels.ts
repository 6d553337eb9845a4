import type { CountRow, JsErrorSummary, Stats } from '@skopos/core';
import { ACTIVE_WINDOW_MS } from '@skopos/core/lite';
import { dataTable, el, formatCount, formatDuration, formatPercent, formatTime } from './format.ts';
import type { WorldMap } from './world-map.ts';

/** A figure read from session rows: unknown ('–') when the store keeps none. */
const ofSessions =
  (show: (stats: Stats) => string) =>
  (stats: Stats): string =>
    stats.sessionsKnown === false ? '–' : show(stats);

const KPIS: readonly { key: keyof Stats; label: string; show: (stats: Stats) => string }[] = [
  { key: 'visitors', label: 'Visitors', show: ofSessions((s) => formatCount(s.visitors)) },
  { key: 'sessions', label: 'Sessions', show: (s) => formatCount(s.sessions) },
  { key: 'pageviews', label: 'Pageviews', show: (s) => formatCount(s.pageviews) },
  {
    key: 'bounceRate',
    label: 'Bounce rate',
    // Bounces are sessions with one page view: without page views there is no rate, not 0 %. (A
    // rate above 0 % with none in range comes from sessions whose page views came before it.)
    show: ofSessions((s) =>
      s.sessions && (s.pageviews || s.bounceRate) ? formatPercent(s.bounceRate) : '–',
    ),
  },
  {
    key: 'avgDuration',
    label: 'Avg. session',
    show: ofSessions((s) => (s.sessions ? formatDuration(s.avgDuration) : '–')),
  },
  { key: 'activeNow', label: 'Active now', show: ofSessions((s) => formatCount(s.activeNow)) },
];

/** Shown only when the server reports it: a headless browser with its default user agent lands here. */
const BOTS_KPI = {
  key: 'botsDropped',
  label: 'Bots dropped',
  show: (s: Stats) => formatCount(s.botsDropped ?? 0),
} as const;

/**
 * The KPI cards' keys, labels and shown values, in order. `until` is the range's end: a range that
 * ended before the last few minutes has nobody "active now" to show (the server counts the end of
 * that range), so it shows '–'.
 */
export function kpiValues(
  stats: Stats,
  until = Number.POSITIVE_INFINITY,
  now = Date.now(),
): { key: string; label: string; value: string }[] {
  const kpis = stats.botsDropped === undefined ? KPIS : [...KPIS, BOTS_KPI];
  const past = until < now - ACTIVE_WINDOW_MS;
  return kpis.map((kpi) => ({
    key: kpi.key,
    label: kpi.label,
    value: past && kpi.key === 'activeNow' ? '–' : kpi.show(stats),
  }));
}

export function renderKpis(root: HTMLElement, stats: Stats, until?: number): void {
  root.replaceChildren(
    ...kpiValues(stats, until).map((kpi) =>
      el(
        'div',
        { class: 'card kpi', 'data-kpi': kpi.key },
        el('span', { class: 'kpi-label' }, kpi.label),
        el('strong', { class: 'kpi-value' }, kpi.value),
      ),
    ),
  );
}

/** Readable names of core's drop reasons; other reasons show as sent. */
const DROP_REASONS: Record<string, string> = {
  bot: 'Bots',
  ip_blacklisted: 'Blocked IPs',
  domain_mismatch: 'Other domains',
  localhost: 'Localhost',
  archived: 'Archived sites',
  invalid: 'Invalid events',
  queue_full: 'Queue full',
  shut_down: 'Shutting down',
  store_failed: 'Store failures',
  store_rejected: 'Refused by the store',
};

/**
 * The stats answer's `dropped` counts for the range, by reason. Dropped events are never stored:
 * the server counts them in memory, so a range that began before it started says so.
 */
export function renderDropped(root: HTMLElement, stats: Stats): void {
  const dropped = stats.dropped;
  root.hidden = dropped === undefined;
  if (!dropped) return;
  const reasons = Object.entries(dropped).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  root.replaceChildren(
    el('span', { class: 'dropped-title' }, 'Dropped, not stored'),
    ...(reasons.length
      ? reasons.map(([reason, n]) =>
          el(
            'span',
            { class: 'chip', 'data-reason': reason, title: reason },
            `${DROP_REASONS[reason] ?? reason} `,
            el('b', {}, formatCount(n)),
          ),
        )
      : [el('span', { class: 'chip', 'data-reason': '' }, 'none')]),
    ...(stats.droppedSince === undefined
      ? []
      : [
          el(
            'span',
            { class: 'muted' },
            `counted from ${formatTime(stats.droppedSince)} on: the server counts drops in memory, from its start`,
          ),
        ]),
  );
}

const LISTS: readonly { key: keyof Stats; title: string; empty: string }[] = [
  { key: 'topPages', title: 'Top pages', empty: 'No page views' },
  { key: 'referrers', title: 'Referrers', empty: 'No referrers' },
  { key: 'utmSources', title: 'UTM sources', empty: 'No UTM sources' },
  { key: 'eventNames', title: 'Custom events', empty: 'No custom events' },
  { key: 'countries', title: 'Countries', empty: 'No countries' },
  { key: 'browsers', title: 'Browsers', empty: 'No browsers' },
  { key: 'os', title: 'Operating systems', empty: 'No data' },
  { key: 'devices', title: 'Devices', empty: 'No data' },
];

/** Sessions without any country: the server has no geo source, which is the usual cause. */
const NO_GEO = 'No country data: configure a geo source (skopos serve --geoip, or CDN country headers).';

function countList(rows: readonly CountRow[], empty: string): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  const max = Math.max(...rows.map((row) => row.count));
  return el(
    'ol',
    { class: 'rows' },
    ...rows.map((row) => {
      const bar = el('span', { class: 'bar' });
      bar.style.width = `${(row.count / max) * 100}%`;
      return el(
        'li',
        { 'data-key': row.key },
        bar,
        el('span', { class: 'row-key', title: row.key }, row.key || '(none)'),
        el('span', { class: 'row-count' }, formatCount(row.count)),
      );
    }),
  );
}

/**
 * The countries' list, with the world map beside it when there are rows. Without any, the map is
 * left out: an empty map would read as "no visitors" where the card means "no geo source".
 */
function countriesBody(stats: Stats, map: WorldMap): HTMLElement {
  const rows = stats.countries;
  const list = countList(rows, stats.sessions > 0 ? NO_GEO : 'No countries');
  if (rows.length === 0) return list;
  map.update(rows);
  return el('div', { class: 'countries-body' }, map.element, list);
}

export function renderLists(root: HTMLElement, stats: Stats, map: WorldMap): void {
  root.replaceChildren(
    ...LISTS.map((list) =>
      el(
        'section',
        {
          class: list.key === 'countries' && stats.countries.length > 0 ? 'card countries-card' : 'card',
          'data-list': list.key,
        },
        el('h2', {}, list.title),
        list.key === 'countries'
          ? countriesBody(stats, map)
          : countList(stats[list.key] as CountRow[], list.empty),
      ),
    ),
  );
}

export function renderErrors(root: HTMLElement, errors: readonly JsErrorSummary[]): void {
  if (errors.length === 0) {
    root.replaceChildren(el('p', { class: 'empty' }, 'No JavaScript errors in this range'));
    return;
  }
  root.replaceChildren(
    dataTable(
      [el('th', {}, 'Message'), el('th', {}, 'Count'), el('th', {}, 'Last seen')],
      errors.map((error) =>
        el(
          'tr',
          { 'data-error': error.errorHash },
          el('td', { class: 'mono' }, error.errorMessage),
          el('td', { class: 'num error-count' }, formatCount(error.count)),
          el('td', { class: 'nowrap', 'data-time': String(error.lastSeen) }, formatTime(error.lastSeen)),
        ),
      ),
    ),
  );
}
