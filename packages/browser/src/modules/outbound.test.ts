// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackOutboundLinks } from './outbound.ts';

let tracked: [string, Record<string, unknown> | undefined][];
let stop: () => void;
const clickLink = (href: string, button = 0): void => {
  const link = document.createElement('a');
  link.href = href;
  link.appendChild(document.createElement('span'));
  // Keep happy-dom from following the link (it navigates when the click reaches the anchor).
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.appendChild(link);
  const type = button === 1 ? 'auxclick' : 'click';
  link.firstChild?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button }));
};

beforeEach(() => {
  tracked = [];
  stop = trackOutboundLinks({ track: (name, data) => tracked.push([name, data]) });
});
afterEach(() => {
  stop();
  document.body.innerHTML = '';
});

describe('outbound links and downloads', () => {
  it('sends outbound-link for links to other hosts, without query or hash', () => {
    clickLink('https://partner.example.org/offer?ref=abc#x');
    clickLink('https://partner.example.org/middle', 1);
    expect(tracked).toEqual([
      ['outbound-link', { url: 'https://partner.example.org/offer' }],
      ['outbound-link', { url: 'https://partner.example.org/middle' }],
    ]);
  });

  it('sends file-download for file links, on this host or another', () => {
    clickLink('/files/report.PDF?v=2');
    clickLink('https://cdn.example.net/app.dmg');
    expect(tracked).toEqual([
      ['file-download', { url: 'https://shop.example.com/files/report.PDF' }],
      ['file-download', { url: 'https://cdn.example.net/app.dmg' }],
    ]);
  });

  it('ignores same-host pages, mailto: links, right clicks, and everything once stopped', () => {
    clickLink('/pricing');
    clickLink('mailto:hi@example.com');
    clickLink('https://partner.example.org/', 2);
    stop();
    clickLink('https://partner.example.org/');
    expect(tracked).toEqual([]);
  });
});
