import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintError, firstMeaningfulFrame, normaliseErrorMessage } from './fingerprint.ts';

const v8Stack = [
  "TypeError: Cannot read properties of undefined (reading 'id')",
  '    at https://cdn.example/skopos.min.js:1:2045',
  '    at Array.map (<anonymous>)',
  '    at Object.renderCart (https://shop.example/assets/app.js?v=81:120:17)',
  '    at HTMLButtonElement.onclick (https://shop.example/assets/app.js?v=81:300:9)',
].join('\n');

const firefoxStack = [
  'renderCart@https://shop.example/assets/app.js?v=82:120:33',
  'onclick@https://shop.example/assets/app.js?v=82:300:4',
  '',
].join('\n');

const safariStack = [
  'map@[native code]',
  'renderCart@https://shop.example/assets/app.js#top:120:40',
  'global code@https://shop.example/assets/app.js:400:1',
].join('\n');

const message = "Cannot read properties of undefined (reading 'id')";

describe('firstMeaningfulFrame', () => {
  it('skips the message line, native/anonymous frames and the Skopos tracker, and drops column and query', () => {
    expect(firstMeaningfulFrame(v8Stack)).toBe('renderCart (https://shop.example/assets/app.js:120)');
    expect(firstMeaningfulFrame(firefoxStack)).toBe('renderCart (https://shop.example/assets/app.js:120)');
    expect(firstMeaningfulFrame(safariStack)).toBe('renderCart (https://shop.example/assets/app.js:120)');
  });

  it('normalises V8 decorations and Firefox anonymous names', () => {
    expect(firstMeaningfulFrame('    at new Cart (https://a.example/c.js:5:1)')).toBe(
      'Cart (https://a.example/c.js:5)',
    );
    expect(firstMeaningfulFrame('    at async load (https://a.example/c.js:6:1)')).toBe(
      'load (https://a.example/c.js:6)',
    );
    expect(firstMeaningfulFrame('    at Cart.add [as push] (https://a.example/c.js:7:1)')).toBe(
      'add (https://a.example/c.js:7)',
    );
    expect(firstMeaningfulFrame('    at https://a.example/c.js:8:3')).toBe('https://a.example/c.js:8');
    expect(firstMeaningfulFrame('load/<@https://a.example/c.js:8:9')).toBe('https://a.example/c.js:8');
    expect(firstMeaningfulFrame('async*load@https://a.example/c.js:6:2')).toBe(
      'load (https://a.example/c.js:6)',
    );
    expect(firstMeaningfulFrame('@https://cdn.example/pkg@1.2.3/x.js:3:1')).toBe(
      'https://cdn.example/pkg@1.2.3/x.js:3',
    );
    expect(firstMeaningfulFrame('https://cdn.example/pkg@1.2.3/x.js:3:1')).toBe(
      'https://cdn.example/pkg@1.2.3/x.js:3',
    );
  });

  it("answers '' when no frame is meaningful", () => {
    expect(firstMeaningfulFrame('')).toBe('');
    expect(firstMeaningfulFrame('Error: boom')).toBe('');
    expect(
      firstMeaningfulFrame(
        '    at eval (eval at run (https://a.example/c.js:1:1), <anonymous>:1:1)\n' +
          '    at chrome-extension://abcdef/content.js:10:2\n    at Array.forEach (native)',
      ),
    ).toBe('');
  });
});

describe('fingerprintError', () => {
  it('gives the same 32-hex hash for one bug across V8, Firefox and Safari stacks', () => {
    const chrome = fingerprintError(`Uncaught TypeError: ${message}`, v8Stack);
    expect(chrome).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintError(`TypeError: ${message}`, firefoxStack)).toBe(chrome);
    expect(fingerprintError(`TypeError:   ${message}\n`, safariStack)).toBe(chrome);
  });

  it('differs when the message differs', () => {
    expect(fingerprintError('TypeError: a is undefined', firefoxStack)).not.toBe(
      fingerprintError('TypeError: b is undefined', firefoxStack),
    );
  });

  it('differs when the first frame differs: another file or function (a named function keeps its hash across lines)', () => {
    const base = fingerprintError('Error: x', 'f@https://a.example/app.js:10:1');
    expect(fingerprintError('Error: x', 'f@https://a.example/app.js:11:1')).toBe(base);
    expect(fingerprintError('Error: x', '@https://a.example/app.js:11:1')).not.toBe(
      fingerprintError('Error: x', '@https://a.example/app.js:10:1'),
    );
    expect(fingerprintError('Error: x', 'f@https://a.example/other.js:10:1')).not.toBe(base);
    expect(fingerprintError('Error: x', 'g@https://a.example/app.js:10:1')).not.toBe(base);
    expect(fingerprintError('Error: x', '')).not.toBe(base);
  });
});

describe('fingerprintError on inline scripts', () => {
  it('one bug of a script inlined in three pages is one fingerprint', () => {
    const pages = ['https://a.example/', 'https://a.example/pricing', 'https://a.example/docs?x=1'];
    const hashes = pages.map((page, i) =>
      fingerprintError(
        'Uncaught Error: boom',
        `Error: boom\n    at fail (${page.replace(/\?.*$/, '')}:${20 + i}:5)\n    at HTMLButtonElement.onclick (${page}:1:1)`,
        page,
      ),
    );
    expect(new Set(hashes).size).toBe(1);
    expect(fingerprintError('Uncaught Error: boom', '    at fail (https://a.example/app.js:3:1)')).not.toBe(
      hashes[0],
    );
  });

  it('a frame in a page path without a script extension counts as inline even without the page URL', () => {
    expect(fingerprintError('E', '    at f (https://a.example/blog/post:9:1)')).toBe(
      fingerprintError('E', '    at f (https://a.example/about:2:1)'),
    );
  });
});

describe('normaliseErrorMessage', () => {
  it('strips Chrome’s Uncaught prefixes and collapses whitespace', () => {
    expect(normaliseErrorMessage('  Uncaught   TypeError:\n x  ')).toBe('TypeError: x');
    expect(normaliseErrorMessage('Uncaught (in promise) Error: y')).toBe('Error: y');
  });
});

describe('robustness', () => {
  it('never throws and always answers 32 hex characters for arbitrary input', () => {
    const stackish = fc.array(
      fc.oneof(
        fc.string(),
        fc.constantFrom('    at ', '@', ':', '(', ')', '\n', '?', '#', 'https://', '<anonymous>', '12'),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.string(), stackish, (message, parts) => {
        expect(fingerprintError(message, parts.join(''))).toMatch(/^[0-9a-f]{32}$/);
      }),
    );
  });
});
