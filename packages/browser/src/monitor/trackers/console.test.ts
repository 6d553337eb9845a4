// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorEmit } from '../types.ts';
import { setupConsoleTracker } from './console.ts';

type Event = [string, string, Record<string, unknown>];
let events: Event[] = [];
const emit: MonitorEmit = (type, level, payload) => events.push([type, level, payload]);
const context = { ignoreRoutes: [], ownEndpoints: [] };
let printed: unknown[][] = [];
let stop = () => {};

const METHODS = [
  'log',
  'info',
  'warn',
  'error',
  'debug',
  'trace',
  'table',
  'group',
  'groupEnd',
  'assert',
  'dir',
] as const;
const payload = (i: number) => events[i]?.[2] ?? {};

beforeEach(() => {
  for (const method of METHODS) vi.spyOn(console, method).mockImplementation((...args) => printed.push(args));
});
afterEach(() => {
  stop();
  events = [];
  printed = [];
  vi.restoreAllMocks();
});

describe('console tracker (vite-plugin-monitor `track.console`)', () => {
  it('still prints, and sends each call at the level of its method', () => {
    stop = setupConsoleTracker(emit, true, context);
    console.log('a');
    console.info('b');
    console.table([1]);
    console.warn('c');
    console.assert(1 > 2, 'math broke');
    console.assert(true, 'never sent');
    console.error('d');
    console.debug('e');
    console.dir({});
    expect(printed).toHaveLength(9);
    expect(events.map(([type, level, p]) => [type, level, p.method])).toEqual([
      ['console', 'info', 'log'],
      ['console', 'info', 'info'],
      ['console', 'info', 'table'],
      ['console', 'warn', 'warn'],
      ['console', 'warn', 'assert'],
      ['console', 'error', 'error'],
      ['console', 'debug', 'debug'],
      ['console', 'debug', 'dir'],
    ]);
    // A failed assertion's message is its second argument.
    expect(payload(4)).toMatchObject({
      message: 'math broke',
      args: [{ type: 'string', value: 'math broke' }],
    });
  });

  it('sends the printf-filled message and every argument serialised, up to `maxArgs`', () => {
    stop = setupConsoleTracker(emit, { maxArgs: 3 }, context);
    console.log('%s has %d items', 'cart', 3, { id: 1 }, 'fifth');
    expect(payload(0)).toEqual({
      method: 'log',
      message: 'cart has 3 items',
      args: [
        { type: 'string', value: '%s has %d items' },
        { type: 'string', value: 'cart' },
        { type: 'number', value: 3 },
        { type: 'truncated', value: '[2 more args]' },
      ],
      groupDepth: 0,
    });
  });

  it('ignores the dev server and its own lines, and `ignorePatterns` (strings by equality, RegExps anywhere)', () => {
    stop = setupConsoleTracker(emit, { ignorePatterns: ['noise', /^\[react-query\]/] }, context);
    console.log('[vite] connected.');
    console.warn('[HMR] updated /src/App.tsx');
    console.log('something [tracker] said');
    console.log('noise');
    console.log('[react-query] refetch');
    console.log('noise, but longer');
    expect(events.map(([, , p]) => p.message)).toEqual(['noise, but longer']);
    expect(printed).toHaveLength(6);
  });

  it('reports the group depth, and stacks for trace (always) and error (when asked)', () => {
    stop = setupConsoleTracker(emit, { captureStackOnError: true }, context);
    console.group('outer');
    console.log('inside');
    console.groupEnd();
    console.groupEnd();
    console.log('after');
    console.trace('where');
    console.error('failed');
    expect(events.map(([, , p]) => [p.method, p.groupDepth])).toEqual([
      ['group', 0],
      ['log', 1],
      ['groupEnd', 0],
      ['groupEnd', 0],
      ['log', 0],
      ['trace', 0],
      ['error', 0],
    ]);
    for (const i of [5, 6]) {
      expect(payload(i).stack).toMatch(/console\.test\.ts/);
      expect(payload(i).stack).not.toMatch(/^Error/);
    }
    expect(payload(4).stack).toBeUndefined();
  });

  it('patches only the chosen methods, never loops on a sender that logs, and restores the console', () => {
    const log = console.log;
    const noisy: MonitorEmit = (...args) => {
      emit(...args);
      console.error('send failed');
    };
    stop = setupConsoleTracker(noisy, { methods: ['error', 'error'] }, context);
    expect(console.log).toBe(log);
    console.error('boom');
    expect(events.map(([, , p]) => p.message)).toEqual(['boom']);
    expect(printed).toEqual([['boom'], ['send failed']]);
    stop();
    console.error('after');
    expect(events).toHaveLength(1);
    expect(vi.isMockFunction(console.error)).toBe(true);
  });
});
