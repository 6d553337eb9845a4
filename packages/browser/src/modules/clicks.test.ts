// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureClicks } from './clicks.ts';

let tracked: [string, Record<string, unknown> | undefined][];
let stop: () => void;
const click = (selector: string): void => {
  const element = document.querySelector(selector) as HTMLElement;
  element.addEventListener('click', (event) => event.preventDefault());
  element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
};

beforeEach(() => {
  tracked = [];
  stop = captureClicks({ track: (name, data) => tracked.push([name, data]) });
  document.body.innerHTML = `
    <button id="buy">  Buy
       now </button>
    <a href="/pricing?ref=nav#plans"><span class="inner">Pricing</span></a>
    <input type="submit" value="Send">
    <button data-skopos-event="signup">Sign up</button>
    <button data-skopos-ignore>Log out Jane Doe</button>
    <p class="text">Just text</p>`;
});
afterEach(() => stop());

describe('generic click capture', () => {
  it('sends click with the tag, the squeezed label, the id and a link target without query', () => {
    click('#buy');
    click('.inner');
    click('input');
    expect(tracked).toEqual([
      ['click', { tag: 'button', text: 'Buy now', id: 'buy' }],
      ['click', { tag: 'a', text: 'Pricing', href: 'https://shop.example.com/pricing' }],
      ['click', { tag: 'input', text: 'Send' }],
    ]);
  });

  it('leaves tagged and ignored elements, and plain text, alone; nothing once stopped', () => {
    click('[data-skopos-event]');
    click('[data-skopos-ignore]');
    click('.text');
    stop();
    click('#buy');
    expect(tracked).toEqual([]);
  });
});
