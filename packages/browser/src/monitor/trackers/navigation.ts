import type { NavigationTrackOptions, NavigationTrigger } from '../options.ts';
import type { MonitorEmit, TrackerContext } from '../types.ts';
import { matches, quiet, startsWithAny } from './match.ts';

/** vite-plugin-monitor's key: the route a same-origin link left, read by the next page's `load`. */
const FROM_KEY = '__tracker_mpa_from__';

/** Reads and clears the saved route, or saves `route`; storage may be off (sandboxed frames). */
function saved(route?: string): string | null {
  try {
    const previous = sessionStorage.getItem(FROM_KEY);
    route ? sessionStorage.setItem(FROM_KEY, route) : sessionStorage.removeItem(FROM_KEY);
    return previous;
  } catch {
    return null;
  }
}

/** Same origin: the previous path; another site: its origin only. */
function referrer(): string {
  try {
    const url = new URL(document.referrer);
    return url.origin === location.origin ? url.pathname + url.search : url.origin;
  } catch {
    return document.referrer;
  }
}

const here = (): string => location.pathname + location.search;

/**
 * vite-plugin-monitor's navigation tracker: `info` `navigation` events `{ from, to, trigger,
 * duration }` (ms spent on `from`) for `pushState`, `replaceState`, `popstate`, `hashchange` (`to` =
 * pathname + hash) and the page `load`, sent at once. The `load`'s `from` is the route a same-origin
 * link left (sessionStorage), else the referrer, else the page itself. Not sent: a push or replace to
 * the same route, a route on the dashboard or in `ignoreRoutes` at either end, a trigger in
 * `ignoreTypes`.
 *
 * @example
 * const stop = setupNavigationTracker(emit, { ignoreTypes: ['hashchange'] }, context);
 */
export function setupNavigationTracker(
  emit: MonitorEmit,
  options: NavigationTrackOptions | true,
  context: TrackerContext,
): () => void {
  const { ignoreRoutes = [], ignoreTypes = [] }: NavigationTrackOptions = options === true ? {} : options;
  const skip = (route: string): boolean =>
    startsWithAny(route, context.ignoreRoutes) || matches(route, ignoreRoutes);
  let current = here();
  let since = performance.now();

  const navigate = quiet((to: string, trigger: NavigationTrigger, from: string = current) => {
    const duration = Math.round(performance.now() - since);
    current = to;
    since = performance.now();
    // The SPA handled the link itself: a later reload must not read the saved route as its `from`.
    if (trigger !== 'load') saved();
    if (
      (from === to && (trigger === 'pushState' || trigger === 'replaceState')) ||
      skip(from) ||
      skip(to) ||
      (trigger !== 'load' && ignoreTypes.includes(trigger))
    ) {
      return;
    }
    emit('navigation', 'info', { from, to, trigger, duration });
  });

  const patch = (name: 'pushState' | 'replaceState'): (() => void) => {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      navigate(here(), name);
    };
    return () => {
      history[name] = original;
    };
  };
  const onPop = (): void => navigate(here(), 'popstate');
  const onHash = (): void => navigate(location.pathname + location.hash, 'hashchange');
  // Capture phase: runs before an app handler can stop the click. Only same-tab, same-origin links.
  const onLinkClick = quiet((event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a');
    const href = link?.getAttribute('href');
    if (
      link &&
      href &&
      !href.startsWith('#') &&
      !/^_(blank|parent)$/.test(link.target) &&
      link.origin === location.origin
    ) {
      saved(here());
    }
  });
  const restores = [patch('pushState'), patch('replaceState')];
  addEventListener('popstate', onPop);
  addEventListener('hashchange', onHash);
  document.addEventListener('click', onLinkClick, true);
  navigate(current, 'load', saved() || referrer() || current);
  return () => {
    for (const restore of restores) restore();
    removeEventListener('popstate', onPop);
    removeEventListener('hashchange', onHash);
    document.removeEventListener('click', onLinkClick, true);
  };
}
