// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, stubNetwork } from './test-support.ts';
import { createTracker } from './tracker.ts';
import type { Tracker } from './types.ts';

let network: Network;
let tracker: Tracker;
const errors = () => network.events().filter((event) => event.type === 'jsError');

const uncaught = (error: unknown): void => {
  window.dispatchEvent(new ErrorEvent('error', { error, message: `Uncaught ${String(error)}` }));
};
const rejected = (reason: unknown): void => {
  window.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason }));
};

beforeEach(() => {
  network = stubNetwork();
  tracker = createTracker({ batchSize: 1 });
});
afterEach(() => tracker.stop());

describe('JS errors', () => {
  it('reports an uncaught error with its message and stack', () => {
    const error = new TypeError('cart is undefined');
    uncaught(error);
    expect(errors()).toEqual([
      expect.objectContaining({
        type: 'jsError',
        errorMessage: 'cart is undefined',
        stackTrace: error.stack,
      }),
    ]);
  });

  it('reports an error once, however often it happens', () => {
    const error = new Error('boom');
    for (let i = 0; i < 5; i++) uncaught(error);
    rejected(error);
    expect(errors()).toHaveLength(1);
  });

  it('reports unhandled rejections, also of values that are not errors', () => {
    rejected(new Error('fetch failed'));
    rejected('plain reason');
    expect(errors().map((event) => event.errorMessage)).toEqual(['fetch failed', 'plain reason']);
  });

  it('cuts messages and stacks to the server limits (4096 and 16384)', () => {
    const error = new Error('m'.repeat(5000));
    error.stack = 's'.repeat(20_000);
    uncaught(error);
    expect(errors()[0]?.errorMessage).toHaveLength(4096);
    expect(errors()[0]?.stackTrace).toHaveLength(16_384);
  });

  it('names errors that have no message', () => {
    uncaught(new RangeError());
    expect(errors()[0]?.errorMessage).toBe('RangeError');
  });

  it('ignores resource load failures and opaque cross-origin "Script error."', () => {
    document.body.appendChild(document.createElement('img')).dispatchEvent(new Event('error'));
    window.dispatchEvent(new ErrorEvent('error', { message: 'Script error.' }));
    expect(errors()).toEqual([]);
  });

  it('survives a reason whose toString throws, and keeps reporting', () => {
    rejected(Object.create(null));
    rejected(new Error('next'));
    expect(errors().map((event) => event.errorMessage)).toEqual(['next']);
  });

  it('stops after 100 distinct errors, so that an error loop cannot flood the server', () => {
    for (let i = 0; i < 150; i++) uncaught(new Error(`loop ${i}`));
    expect(errors()).toHaveLength(100);
  });
});
