// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, stubNetwork } from './test-support.ts';
import { createTracker } from './tracker.ts';
import type { Tracker } from './types.ts';

let network: Network;
let tracker: Tracker;
const custom = () => network.events().filter((event) => event.type === 'custom');

beforeEach(() => {
  network = stubNetwork();
  tracker = createTracker({ batchSize: 1 });
  document.body.innerHTML = `
    <button data-skopos-event="signup" data-skopos-plan="pro" data-skopos-plan-id="p-1" data-other="no"><span>Go</span></button>
    <div class="stop"><a data-skopos-event="docs" href="#">Docs</a></div>
    <button>untracked</button>`;
});
afterEach(() => tracker.stop());

describe('tagged clicks', () => {
  it('sends data-skopos-event with its data-skopos-* properties, also for clicks on children', () => {
    document.querySelector('span')?.click();
    expect(custom()).toEqual([
      expect.objectContaining({ name: 'signup', customData: { plan: 'pro', 'plan-id': 'p-1' } }),
    ]);
  });

  it('sees clicks the app stops from propagating', () => {
    document.querySelector('.stop')?.addEventListener('click', (event) => event.stopPropagation());
    (document.querySelector('a') as HTMLElement).click();
    expect(custom().map((event) => event.name)).toEqual(['docs']);
  });

  it('ignores untagged elements and clicks on the document itself', () => {
    (document.querySelectorAll('button')[1] as HTMLElement).click();
    document.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(custom()).toEqual([]);
    expect(network.events().filter((event) => event.type === 'jsError')).toEqual([]);
  });
});
