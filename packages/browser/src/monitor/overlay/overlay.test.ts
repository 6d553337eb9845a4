// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/cart"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, stubNetwork } from '../../test-support.ts';
import { createMonitorClient } from '../client.ts';
import { monitorConfig, monitorEvents } from '../test-config.ts';
import type { MonitorClient } from '../types.ts';
import { mountOverlay } from './overlay.ts';
import { inOverlay, overlayConfig, overlayHosts, press, startWithOverlay } from './test-overlay.ts';

let network: Network;
let client: MonitorClient;
const start = (config = overlayConfig()): (() => void) => {
  const started = startWithOverlay(config);
  client = started.client;
  return started.remove;
};
const corner = (root: HTMLElement) => [root.style.top, root.style.right, root.style.bottom, root.style.left];
const rows = () => [...inOverlay('.events').children].map((row) => row.textContent ?? '');

beforeEach(() => {
  sessionStorage.clear();
  network = stubNetwork();
});
afterEach(() => {
  client.destroy();
  for (const host of overlayHosts()) host.remove();
});

describe('the debug overlay', () => {
  it('renders at its corner in a shadow root, with the ids, the panel closed, no dashboard link', () => {
    start();
    expect(overlayHosts()).toHaveLength(1);
    expect(corner(inOverlay('.root'))).toEqual(['16px', '', '', '16px']);
    // The ids of the session start, which the overlay saw as it was made.
    const [event] = monitorEvents(network);
    expect(event?.payload).toEqual({ action: 'start', trigger: 'init' });
    expect(inOverlay('.session').textContent).toBe(event?.sessionId);
    expect(inOverlay<HTMLInputElement>('input').value).toBe(event?.userId);
    expect(inOverlay<HTMLElement>('.panel').hidden).toBe(true);
    expect(inOverlay<HTMLAnchorElement>('.dashboard').hidden).toBe(true);
    // Its stylesheet is inside the shadow root, none in the page.
    expect(document.querySelectorAll('style')).toHaveLength(0);
  });

  it('falls back to bottom-right and links the dashboard route when the dashboard is on', () => {
    const dashboard = { enabled: true, route: '/_dashboard', pollInterval: 3000 };
    start(overlayConfig({ overlay: { enabled: true, position: 'middle' }, dashboard }));
    expect(corner(inOverlay('.root'))).toEqual(['', '16px', '16px', '']);
    const link = inOverlay<HTMLAnchorElement>('.dashboard');
    expect(link.hidden).toBe(false);
    expect(link.href).toBe('https://shop.example.com/_dashboard');
  });

  it('mounts nothing when overlay.enabled is off, and once per client', () => {
    const config = overlayConfig();
    client = createMonitorClient(config);
    mountOverlay(client, monitorConfig());
    expect(overlayHosts()).toHaveLength(0);
    expect(mountOverlay(client, config)).toBe(mountOverlay(client, config));
    expect(overlayHosts()).toHaveLength(1);
  });

  it('lists the last 20 events as they are made, newest first, without Skopos page views', () => {
    start();
    client.track('checkout', { items: 3 }, { level: 'warn' });
    expect(inOverlay('.events').firstElementChild?.className).toBe('warn');
    expect(rows()[0]).toMatch(/customwarncheckout$/);
    for (let i = 0; i < 25; i++) client.track(`step-${i}`);
    expect(rows()).toHaveLength(20);
    expect(rows()[0]).toMatch(/step-24$/);
    expect(rows().at(-1)).toMatch(/step-5$/);
    expect(network.events().some((event) => event.type === 'pageView')).toBe(true);
    expect(rows().some((row) => row.includes('pageView'))).toBe(false);
  });

  it('shows and hides the panel with Alt+T and its buttons', () => {
    start();
    const panel = inOverlay<HTMLElement>('.panel');
    press(document, { key: 't' });
    expect(panel.hidden).toBe(true);
    press(document, { key: 't', code: 'KeyT', altKey: true });
    expect(panel.hidden).toBe(false);
    expect(inOverlay('.toggle').getAttribute('aria-expanded')).toBe('true');
    // macOS' Option+T types a dagger: the physical key counts.
    press(document, { key: '†', code: 'KeyT', altKey: true });
    expect(panel.hidden).toBe(true);
    inOverlay<HTMLButtonElement>('.toggle').click();
    expect(panel.hidden).toBe(false);
    inOverlay<HTMLButtonElement>('.close').click();
    expect(panel.hidden).toBe(true);
  });

  it("leaves with the client's destroy(), or by its own removal, and stops observing", () => {
    const config = overlayConfig();
    start(config);
    client.destroy();
    expect(overlayHosts()).toHaveLength(0);
    mountOverlay(client, config);
    expect(overlayHosts()).toHaveLength(0);

    sessionStorage.clear();
    const remove = start();
    remove();
    expect(overlayHosts()).toHaveLength(0);
    client.track('after');
    // Mountable again: the client has no overlay now, and the new one lists only new events.
    mountOverlay(client, overlayConfig());
    expect(overlayHosts()).toHaveLength(1);
    client.track('again');
    expect(rows()).toEqual([expect.stringMatching(/again$/)]);
  });
});
