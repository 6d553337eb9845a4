import { createApi, type PageConfig, readConfig, UnauthorizedError } from './api.ts';
import { createChart } from './chart.ts';
import { createEventsTable } from './events-table.ts';
import { el } from './format.ts';
import { startHealth } from './health.ts';
import { renderErrors, renderKpis, renderLists } from './panels.ts';
import { LIVE_REFRESH_MS, RANGE_REFRESH_MS, RANGES, type RangeSpec } from './ranges.ts';
import './style.css';

const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

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
  } else {
    showProblem(
      "The server refused the read (401). This dashboard has no login: open it on the server's own " +
        'machine, or ask whoever runs the server to set a dashboard password.',
    );
  }
}

function boot(): void {
  const config = readConfig();
  const api = createApi(config);
  if (config.login) byId('logout').hidden = false;
  const drawChart = createChart(byId('chart'));
  const table = createEventsTable(byId('events'), api);
  startHealth(byId('health'), api);

  let range: RangeSpec =
    RANGES.find((r) => r.id === new URLSearchParams(location.search).get('range')) ??
    (RANGES[0] as RangeSpec);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function refresh(periodic = false): Promise<void> {
    const mine = ++generation;
    clearTimeout(timer);
    const until = Date.now();
    const since = until - range.ms;
    try {
      const [stats] = await Promise.all([api.stats(since, until), table.load(since, until, periodic)]);
      if (mine !== generation) return;
      renderKpis(byId('kpis'), stats);
      drawChart(stats.series);
      renderLists(byId('lists'), stats);
      renderErrors(byId('errors'), stats.jsErrors);
      document.body.dataset.loaded = String(mine);
      showProblem(undefined);
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof UnauthorizedError) showUnauthorized(config);
      else showProblem(`Could not load the data: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (mine === generation)
      timer = setTimeout(() => void refresh(true), range.id === 'live' ? LIVE_REFRESH_MS : RANGE_REFRESH_MS);
  }

  const nav = byId('ranges');
  for (const spec of RANGES) {
    const button = el('button', { type: 'button', 'data-range': spec.id }, spec.label);
    button.addEventListener('click', () => {
      range = spec;
      for (const b of nav.querySelectorAll('button')) b.ariaPressed = String(b === button);
      void refresh();
    });
    button.ariaPressed = String(spec === range);
    nav.append(button);
  }
  void refresh();
}

try {
  boot();
} catch (error) {
  showProblem(error instanceof Error ? error.message : String(error));
}
