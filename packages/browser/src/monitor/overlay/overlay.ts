import type { MonitorWireEvent } from '../delivery.ts';
import type { MonitorClient, MonitorConfig } from '../types.ts';
import { eventRow, isShortcut, TEMPLATE } from './view.ts';

/** Events listed, newest first: enough to follow one interaction, few enough to scan. */
const MAX_EVENTS = 20;
const CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
/** One overlay per client: the bootstrap's `init` may run twice (`autoInit` and `tracker.init()`). */
const mounted = /* @__PURE__ */ new WeakMap<MonitorClient, () => void>();

/**
 * vite-plugin-monitor's debug overlay (`overlay: { enabled, position }`, dev only): a floating panel
 * at `position` with the current user id (editable: Enter calls `setUser`, empty = anonymous, and
 * sends the custom event `user:id-changed`), the session id, the last 20 events and, when the
 * dashboard is on, a link to it. `Alt+T` shows and hides it. It lives in a shadow root, so the page's
 * CSS and its own stay apart. Mount it before `client.init()` to see the ids at once (they come
 * with the events); it removes itself when the client is destroyed. Answers its removal.
 *
 * @example
 * import { createMonitorClient, mountOverlay } from '@skopos/browser/monitor';
 *
 * const monitor = createMonitorClient(config);
 * if (import.meta.env.DEV) mountOverlay(monitor, config);
 * monitor.init();
 */
export function mountOverlay(client: MonitorClient, config: MonitorConfig): () => void {
  const existing = mounted.get(client);
  if (existing) return existing;
  if (!config.overlay?.enabled) return () => {};
  // A tag of its own, so the page's `div { … }` rules miss the host too (its insides are shadowed).
  const host = document.createElement('skopos-monitor-overlay');
  // The click tracker skips this marker: using the overlay is not the app's traffic.
  host.setAttribute('data-tracker-overlay', '');
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.innerHTML = TEMPLATE;
  const find = <E extends Element>(selector: string): E => shadow.querySelector(selector) as E;
  const root = find<HTMLElement>('.root');
  const toggle = find<HTMLButtonElement>('.toggle');
  const panel = find<HTMLElement>('.panel');
  const input = find<HTMLInputElement>('input');
  const session = find<HTMLElement>('.session');
  const list = find<HTMLOListElement>('.events');

  const corner = CORNERS.includes(config.overlay.position) ? config.overlay.position : 'bottom-right';
  const [vertical = 'bottom', horizontal = 'right'] = corner.split('-');
  root.style.setProperty(vertical, '16px');
  root.style.setProperty(horizontal, '16px');
  // For the stylesheet: at the bottom the panel opens upwards, on the left it aligns left.
  root.dataset.v = vertical;
  root.dataset.h = horizontal;
  if (config.dashboard.enabled) {
    const link = find<HTMLAnchorElement>('.dashboard');
    link.href = config.dashboard.route;
    link.hidden = false;
  }

  /** The user id of the latest event: the client's current one. */
  let userId = '';
  const show = (open = panel.hidden): void => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  const observe = (event: MonitorWireEvent): void => {
    // Skopos' own page views and signals ride the same queue; the overlay lists vite-plugin-monitor's.
    if (!('sessionId' in event)) return;
    userId = event.userId;
    session.textContent = event.sessionId;
    session.title = event.sessionId;
    // Never under the cursor of someone typing a new id.
    if (shadow.activeElement !== input) input.value = userId;
    list.prepend(eventRow(event));
    while (list.children.length > MAX_EVENTS) list.lastElementChild?.remove();
    const { action, trigger } = event.payload;
    if (event.type !== 'session' || action !== 'end' || trigger !== 'destroy') return;
    remove();
    // Kept as mounted: a stopped client sends nothing, so a later `init()` must not mount an empty panel.
    mounted.set(client, remove);
  };
  const apply = (): void => {
    const next = input.value.trim();
    if (next === userId) return;
    const previousUserId = userId;
    client.setUser(next || null);
    // `setUser`'s session start went through `observe` synchronously: `userId` is now the new id
    // (a fresh `anon_…` one for an empty field), as vite-plugin-monitor reports it.
    client.track('user:id-changed', { previousUserId, newUserId: userId, source: 'overlay' });
  };
  const onInputKey = (event: KeyboardEvent): void => {
    // The page's own shortcuts must not fire while an id is typed here.
    event.stopPropagation();
    if (event.key === 'Enter') apply();
    else if (event.key !== 'Escape') return;
    input.value = userId;
    input.blur();
  };
  const onKey = (event: KeyboardEvent): void => {
    if (!isShortcut(event)) return;
    event.preventDefault();
    show();
  };
  const attach = (): void => {
    document.body.append(host);
  };
  const remove = (): void => {
    mounted.delete(client);
    client.observe(undefined);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('DOMContentLoaded', attach);
    host.remove();
  };

  toggle.addEventListener('click', () => show());
  find('.close').addEventListener('click', () => show(false));
  input.addEventListener('keydown', onInputKey);
  document.addEventListener('keydown', onKey);
  // The bootstrap runs in <head>, before there is a body to hold the overlay.
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
  client.observe(observe);
  mounted.set(client, remove);
  return remove;
}
