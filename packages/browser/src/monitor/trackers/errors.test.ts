// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEmit } from '../types.ts';
import { setupErrorTracker } from './errors.ts';

let events: [string, string, Record<string, unknown>][] = [];
const emit: MonitorEmit = (type, level, payload) => events.push([type, level, payload]);
const context = { ignoreRoutes: [], ownEndpoints: [] };
let stop = () => {};

const rejection = (reason: unknown) =>
  window.dispatchEvent(
    Object.assign(new Event('unhandledrejection'), { reason, promise: Promise.resolve() }),
  );

afterEach(() => {
  stop();
  events = [];
});

describe('error tracker (vite-plugin-monitor `track.errors`)', () => {
  it('sends an uncaught error with its file, line, column, type and stack', () => {
    stop = setupErrorTracker(emit, true, context);
    const error = new TypeError("Cannot read properties of undefined (reading 'id')");
    window.dispatchEvent(
      new ErrorEvent('error', {
        message: error.message,
        filename: '/src/app.ts',
        lineno: 12,
        colno: 5,
        error,
      }),
    );
    window.dispatchEvent(new ErrorEvent('error', {}));
    expect(events).toEqual([
      [
        'error',
        'error',
        {
          message: error.message,
          stack: error.stack,
          filename: '/src/app.ts',
          lineno: 12,
          colno: 5,
          errorType: 'TypeError',
        },
      ],
      [
        'error',
        'error',
        expect.objectContaining({ message: 'Unknown error', errorType: 'Error', stack: undefined }),
      ],
    ]);
  });

  it('sends unhandled rejections, whatever was rejected', () => {
    stop = setupErrorTracker(emit, true, context);
    const error = new RangeError('too far');
    rejection(error);
    rejection('plain text');
    rejection(undefined);
    rejection({ message: 'shaped like an error' });
    rejection(null);
    expect(events.map(([, level, p]) => [level, p.message, p.errorType])).toEqual([
      ['error', 'too far', 'RangeError'],
      ['error', 'plain text', 'UnhandledRejection'],
      ['error', 'Unhandled promise rejection', 'UnhandledRejection'],
      ['error', 'shaped like an error', 'UnhandledRejection'],
      ['error', 'null', 'UnhandledRejection'],
    ]);
    expect(events[0]?.[2]).toEqual({ message: 'too far', stack: error.stack, errorType: 'RangeError' });
  });

  it('drops ignored messages: strings by equality, RegExps anywhere (even with the g flag)', () => {
    stop = setupErrorTracker(emit, { ignoreMessages: ['Script error.', /ResizeObserver loop/g] }, context);
    for (const message of ['Script error.', 'Script error. (2)', 'ResizeObserver loop limit exceeded']) {
      window.dispatchEvent(new ErrorEvent('error', { message }));
      window.dispatchEvent(new ErrorEvent('error', { message }));
    }
    rejection(new Error('ResizeObserver loop completed'));
    expect(events.map(([, , p]) => p.message)).toEqual(['Script error. (2)', 'Script error. (2)']);
  });

  it('stops listening when torn down', () => {
    setupErrorTracker(emit, true, context)();
    window.dispatchEvent(new ErrorEvent('error', { message: 'late' }));
    rejection(new Error('late'));
    expect(events).toEqual([]);
  });
});
