// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/cart"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, stubNetwork } from '../../test-support.ts';
import { sent } from '../test-config.ts';
import type { MonitorClient } from '../types.ts';
import { inOverlay, overlayHosts, startWithOverlay, typeUserId } from './test-overlay.ts';

let network: Network;
let client: MonitorClient;
const field = () => inOverlay<HTMLInputElement>('input');

beforeEach(() => {
  sessionStorage.clear();
  network = stubNetwork();
  ({ client } = startWithOverlay());
});
afterEach(() => {
  client.destroy();
  for (const host of overlayHosts()) host.remove();
});

describe("the debug overlay's user id", () => {
  it('applies an edited id on Enter: setUser, then the custom event user:id-changed', () => {
    const anon = field().value;
    expect(anon).toMatch(/^anon_/);
    network.requests.length = 0;
    typeUserId('  user-42 ');
    expect(sent(network)).toEqual([
      ['session', { action: 'end', trigger: 'userId-change', previousUserId: anon }],
      ['session', { action: 'start', trigger: 'userId-change', newUserId: 'user-42' }],
      [
        'custom',
        { name: 'user:id-changed', data: { previousUserId: anon, newUserId: 'user-42', source: 'overlay' } },
      ],
    ]);
    expect(network.events().at(-1)).toMatchObject({ userId: 'user-42' });
    expect(field().value).toBe('user-42');
  });

  it('makes an empty field a new anonymous id', () => {
    typeUserId('user-42');
    typeUserId('');
    const [, changed] = sent(network).at(-1) ?? [];
    const newUserId = (changed?.data as { newUserId?: string } | undefined)?.newUserId;
    expect(changed).toEqual({
      name: 'user:id-changed',
      data: { previousUserId: 'user-42', newUserId: expect.stringMatching(/^anon_/), source: 'overlay' },
    });
    expect(field().value).toBe(newUserId);
  });

  it('keeps a draft while events arrive; Escape drops it, an unchanged id sends nothing', () => {
    const anon = field().value;
    typeUserId('someone-else', 'Shift');
    client.track('tick');
    expect(field().value).toBe('someone-else');
    const count = network.requests.length;
    typeUserId('someone-else', 'Escape');
    expect(field().value).toBe(anon);
    typeUserId(anon);
    expect(network.requests).toHaveLength(count);
  });

  it('follows a user id set by the app', () => {
    client.setUser('from-app');
    expect(field().value).toBe('from-app');
  });
});
