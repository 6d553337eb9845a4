import { createApi, type PageConfig, readConfig, type Scope, UnauthorizedError } from './api.ts';
import { createChart } from './chart.ts';
import { createErrorChart } from './error-chart.ts';
import { createEventsTable, type FilterChange } from './events-table.ts';
import { countFacets, facetsFromStats } from './facets.ts';
import { el } from './format.ts';
import { startHealth } from './health.ts';
import { renderHttp, renderNavigation } from './monitor-panels.ts';
import { renderDropped, renderErrors, renderKpis, renderLists } from './panels.ts';
import { FACETS_REFRESH_MS, RANGES, refreshDelay, SITES_REFRESH_MS } from './ranges.ts';
import { findSites } from './sites.ts';
import {
  fromLocalInput,
  readState,
  seriesUpToNow,
  stateUrl,
  timeWindow,
  toLocalInput,
  type ViewState,
} from './state.ts';
import { startThemeToggle } from './theme.ts';
import { createWorldMap } from './world-map.ts';
import './style.css';

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const problem = byId('problem');
function showProblem(message: string | undefined, ...extra: (Node | string)[]): void {
  problem.hidden = message === undefined;
  problem.replaceChildren(message ?? '', ...extra);
}

/**
 * A 401 on a read: with a login, a link to it (never an automatic redirect, so no loop); without
 * one, what the server expects instead.
 */
function showUnauthorized(config: PageConfig): void {
  if (config.login) {
    showProblem(
      'You are signed out: the session expired or the server restarted. ',
      el('a', { href: 'login', 'data-login-link': '' }, 'Sign in again'),
    );
  } else if (config.readHeaders) {
    // A static copy reads with the site's public write key, which a server with a read key refuses.
    showProblem(
      'The server refused the read (401). This copy of the dashboard reads with the site’s public ' +
        'write key, and the server wants another key (skopos serve --read-key). Use the dashboard ' +
        'that skopos serve serves, with its login.',
    );
  } else {
    showProblem(
      "The server refused the read (401). This dashboard has no login: open it on the server's own " +
        'machine, or ask whoever runs the server to set a dashboard password.',
    );
  }
}

function boot(): void {
  startThemeToggle(byId<HTMLButtonElement>('theme'));
  const config = readConfig();
  const api = createApi(config);
  if (config.login) byId('logout').hidden = false;
  const drawChart = createChart(byId('chart'));
  const drawErrorRate = createErrorChart(byId('error-rate-card'), byId('error-rate'));
  const worldMap = createWorldMap();
  const table = createEventsTable(byId('events'), api, (change, push) => update(change, push));
  startHealth(byId('health'), api);

  let state: ViewState = readState();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  /** The view (site, range) whose figures are on screen; '' before the first load. */
  let shownKey = '';
  /**
   * A view that cannot be loaded hides the figures of the one before (another site's or range's
   * numbers under the message would read as this one's); a failed refresh of the same view keeps them.
   */
  const markStale = (key: string): void => {
    if (key !== shownKey) document.body.dataset.stale = '';
  };
  let facetsKey = '';
  let facetsAt = 0;
  let sites: string[] = [];
  let sitesAt = 0;

  const sitePicker = byId('site-picker');
  const siteSelect = byId<HTMLSelectElement>('site');
  const customRange = byId<HTMLFormElement>('custom-range');
  const fromInput = byId<HTMLInputElement>('from');
  const toInput = byId<HTMLInputElement>('to');
  const nav = byId('ranges');

  /** The site picker: shown when the server has several sites (or the URL names one). */
  function drawSites(): void {
    const all = [...new Set([...sites, ...(state.site ? [state.site] : [])])].sort();
    sitePicker.hidden = all.length < 2 && !state.site;
    siteSelect.replaceChildren(
      el('option', { value: '' }, 'All sites'),
      ...all.map((site) => el('option', { value: site }, site)),
    );
    siteSelect.value = state.site;
    table.showSites(!sitePicker.hidden && !state.site);
  }

  async function loadSites(): Promise<void> {
    sitesAt = Date.now();
    try {
      sites = await findSites(api, sites);
    } catch {
      // The main reads report failures; the picker keeps what it knew.
    }
    drawSites();
  }

  function syncControls(): void {
    for (const button of nav.querySelectorAll('button')) {
      button.ariaPressed = String(button.dataset.range === state.range);
    }
    customRange.hidden = state.range !== 'custom';
    if (state.range === 'custom') {
      const from = Date.parse(state.from);
      const to = Date.parse(state.to);
      fromInput.value = Number.isNaN(from) ? '' : toLocalInput(from);
      toInput.value = Number.isNaN(to) ? '' : toLocalInput(to);
    }
    drawSites();
    table.setFilters(state);
  }

  /** A change the reader made: into the URL (a history entry unless `push` is false), then read. */
  function update(change: Partial<ViewState> | FilterChange, push = true): void {
    state = { ...state, ...change };
    const url = stateUrl(state);
    if (url !== `${location.pathname}${location.search}${location.hash}`) {
      history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
    syncControls();
    void refresh();
  }

  async function refresh(periodic = false): Promise<void> {
    const mine = ++generation;
    clearTimeout(timer);
    const window = timeWindow(state, Date.now());
    const key = `${state.site}|${state.range}|${state.from}|${state.to}`;
    if (typeof window === 'string') {
      markStale(key);
      showProblem(window);
      return;
    }
    const scope: Scope = { site: state.site, ...window };
    const facetsDue = key !== facetsKey || Date.now() - facetsAt > FACETS_REFRESH_MS;
    try {
      const [stats] = await Promise.all([
        api.stats(scope),
        table.load({ ...scope, type: state.type, level: state.level, q: state.q }, periodic),
        Date.now() - sitesAt > SITES_REFRESH_MS ? loadSites() : undefined,
      ]);
      if (mine !== generation) return;
      renderKpis(byId('kpis'), stats, window.until);
      renderDropped(byId('dropped'), stats);
      const series = seriesUpToNow(stats.series, Date.now());
      drawChart(series);
      drawErrorRate(series);
      renderHttp(byId('http'), stats.http);
      renderNavigation(byId('navigation'), stats.navigation);
      renderLists(byId('lists'), stats, worldMap);
      renderErrors(byId('errors'), stats.jsErrors);
      // Type and level options: only values that can match. Free in the stats answer; else counted.
      let facets = facetsFromStats(stats);
      if (!facets && facetsDue) {
        facetsKey = key;
        facetsAt = Date.now();
        facets = await countFacets(api, table, scope);
        if (mine !== generation) return;
      }
      if (facets) table.setFacets(facets.types, facets.levels);
      document.body.dataset.loaded = String(mine);
      shownKey = key;
      delete document.body.dataset.stale;
      showProblem(undefined);
    } catch (error) {
      if (mine !== generation) return;
      facetsKey = '';
      markStale(key);
      if (error instanceof UnauthorizedError) showUnauthorized(config);
      else showProblem(`Could not load the data: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (mine === generation) {
      timer = setTimeout(() => void refresh(true), refreshDelay(state.range, config.pollInterval));
    }
  }

  for (const spec of RANGES) {
    const button = el('button', { type: 'button', 'data-range': spec.id }, spec.label);
    button.addEventListener('click', () => {
      if (spec.id !== 'custom') {
        update({ range: spec.id, from: '', to: '' });
        return;
      }
      // The custom range starts as the window on screen up to now (an empty "To"), to be edited.
      const window = timeWindow(state, Date.now());
      const since = typeof window === 'string' ? Date.now() - 86_400_000 : window.since;
      update({ range: 'custom', from: new Date(since).toISOString(), to: '' });
    });
    nav.append(button);
  }
  const onRangeInput = (): void => {
    const from = fromLocalInput(fromInput.value);
    if (from) update({ range: 'custom', from, to: fromLocalInput(toInput.value) });
  };
  fromInput.addEventListener('change', onRangeInput);
  toInput.addEventListener('change', onRangeInput);
  customRange.addEventListener('submit', (event) => event.preventDefault());
  siteSelect.addEventListener('change', () => update({ site: siteSelect.value }));
  // Back and forward restore what the URL says.
  window.addEventListener('popstate', () => {
    state = readState();
    syncControls();
    void refresh();
  });

  syncControls();
  void refresh();
}

try {
  boot();
} catch (error) {
  showProblem(error instanceof Error ? error.message : String(error));
}
