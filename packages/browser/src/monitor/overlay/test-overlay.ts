// Helpers of the overlay's happy-dom tests: a client with the overlay mounted, and the overlay's parts
// found through its (open) shadow root.
import { createMonitorClient } from '../client.ts';
import { monitorConfig } from '../test-config.ts';
import type { MonitorClient, MonitorConfig } from '../types.ts';
import { mountOverlay } from './overlay.ts';

export const overlayConfig = (changes: Partial<MonitorConfig> = {}): MonitorConfig =>
  monitorConfig({ overlay: { enabled: true, position: 'top-left' }, ...changes });

/** A client with the overlay mounted before `init()`, as the bootstrap does. */
export function startWithOverlay(config = overlayConfig()): { client: MonitorClient; remove: () => void } {
  const client = createMonitorClient(config);
  const remove = mountOverlay(client, config);
  client.init();
  return { client, remove };
}

export const overlayHosts = (): NodeListOf<Element> => document.querySelectorAll('[data-tracker-overlay]');

export function inOverlay<E extends Element>(selector: string): E {
  const found = document.querySelector('[data-tracker-overlay]')?.shadowRoot?.querySelector<E>(selector);
  if (!found) throw new Error(`no ${selector} in the overlay`);
  return found;
}

export const press = (target: EventTarget, init: KeyboardEventInit): void => {
  target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true, ...init }));
};

/** Types an id in the user id field and presses a key there. */
export function typeUserId(value: string, key = 'Enter'): void {
  const input = inOverlay<HTMLInputElement>('input');
  input.focus();
  input.value = value;
  press(input, { key });
}
