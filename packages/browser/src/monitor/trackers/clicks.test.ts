// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/products?page=2"}
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEmit } from '../types.ts';
import { setupClickTracker } from './clicks.ts';

let events: [string, string, Record<string, unknown>][] = [];
const emit: MonitorEmit = (type, level, payload) => events.push([type, level, payload]);
const context = { ignoreRoutes: ['/_dashboard'], ownEndpoints: [] };
let stop = () => {};

const click = (target: Element, x = 0, y = 0) =>
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));

afterEach(() => {
  stop();
  events = [];
  document.body.innerHTML = '';
  history.replaceState(null, '', '/products?page=2');
});

describe('click tracker (vite-plugin-monitor `track.clicks`)', () => {
  it("sends the element's tag, label, id, classes, path and coordinates at info level", () => {
    document.body.innerHTML =
      '<main><ul><li>one</li><li><button id="buy" class="btn primary">\n  Add\n  to cart </button></li></ul></main>';
    stop = setupClickTracker(emit, true, context);
    click(document.querySelector('button') as Element, 12, 34);
    expect(events).toEqual([
      [
        'click',
        'info',
        {
          tag: 'button',
          text: 'Add to cart',
          id: 'buy',
          classes: 'btn primary',
          xpath: '/html/body/main/ul/li[2]/button',
          coordinates: { x: 12, y: 34 },
        },
      ],
    ]);
  });

  it('cuts the label at 100 characters, keeps the path to 8 steps, and reads SVG classes', () => {
    document.body.innerHTML = `${'<div>'.repeat(12)}<p>${'x'.repeat(150)}</p>${'</div>'.repeat(12)}<svg class="icon"></svg>`;
    stop = setupClickTracker(emit, true, context);
    click(document.querySelector('p') as Element);
    click(document.querySelector('svg') as Element);
    const [deep, svg] = events.map(([, , payload]) => payload);
    expect(deep?.text).toBe('x'.repeat(100));
    expect(deep?.xpath).toBe(`/${'div/'.repeat(7)}p`);
    expect(deep?.id).toBeUndefined();
    expect(svg).toMatchObject({ tag: 'svg', classes: 'icon', xpath: '/html/body/svg' });
  });

  it('counts a click that the page stops from bubbling', () => {
    document.body.innerHTML = '<button>Pay</button>';
    document.querySelector('button')?.addEventListener('click', (e) => e.stopPropagation());
    stop = setupClickTracker(emit, true, context);
    click(document.querySelector('button') as Element);
    expect(events).toHaveLength(1);
  });

  it('skips ignored selectors (also on descendants), the debug overlay, and survives a bad selector', () => {
    document.body.innerHTML =
      '<div id="cookie-banner"><button><span>OK</span></button></div><div data-tracker-overlay><b>x</b></div><i>kept</i>';
    stop = setupClickTracker(emit, { ignoreSelectors: ['#cookie-banner', '[[bad'] }, context);
    click(document.querySelector('span') as Element);
    click(document.querySelector('b') as Element);
    click(document.querySelector('i') as Element);
    expect(events.map(([, , p]) => p.text)).toEqual(['kept']);
  });

  it('skips ignored routes: strings by equality, RegExps, and the dashboard route as a prefix', () => {
    document.body.innerHTML = '<button>Go</button>';
    const button = document.querySelector('button') as Element;
    stop = setupClickTracker(emit, { ignoreRoutes: ['/admin', /^\/user\/\d+/] }, context);
    const pathsTracked = [
      '/admin',
      '/admin/users',
      '/user/42',
      '/user/me',
      '/_dashboard/events',
      '/products',
    ].filter((path) => {
      history.replaceState(null, '', path);
      const before = events.length;
      click(button);
      return events.length > before;
    });
    expect(pathsTracked).toEqual(['/admin/users', '/user/me', '/products']);
  });

  it('stops tracking when torn down', () => {
    document.body.innerHTML = '<button>Go</button>';
    setupClickTracker(emit, true, context)();
    click(document.querySelector('button') as Element);
    expect(events).toEqual([]);
  });
});
