import type { Api } from './api.ts';
import { PING_INTERVAL_MS } from './ranges.ts';

/** The header's dot: polls the ping endpoint; stays hidden when none is configured. */
export function startHealth(root: HTMLElement, api: Api): void {
  const ping = api.ping;
  if (!ping) return;
  root.hidden = false;
  const label = root.querySelector('span') as HTMLElement;
  const check = async (): Promise<void> => {
    const online = await ping();
    root.dataset.state = online ? 'online' : 'offline';
    label.textContent = online ? 'online' : 'offline';
    root.title = `Server ${label.textContent}`;
  };
  void check();
  setInterval(check, PING_INTERVAL_MS);
}
