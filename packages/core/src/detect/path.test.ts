import { describe, expect, it } from 'vitest';
import { PATH_MAX, referrerDomain, toPath } from './path.ts';

describe('toPath', () => {
  const url = new URL('https://a.example/docs/intro?page=2&utm_source=x#setup');

  it('keeps only the pathname by default', () => {
    expect(toPath(url)).toBe('/docs/intro');
    expect(toPath(new URL('https://a.example'))).toBe('/');
  });

  it('keeps the query and/or the hash when asked', () => {
    expect(toPath(url, { keepQuery: true })).toBe('/docs/intro?page=2&utm_source=x');
    expect(toPath(url, { keepHash: true })).toBe('/docs/intro#setup');
    expect(toPath(url, { keepQuery: true, keepHash: true })).toBe('/docs/intro?page=2&utm_source=x#setup');
    expect(toPath(url, { keepQuery: undefined })).toBe('/docs/intro');
  });

  it('cuts to 2048 characters', () => {
    const long = new URL(`https://a.example/${'p'.repeat(3000)}`);
    expect(toPath(long)).toHaveLength(PATH_MAX);
  });
});

describe('referrerDomain', () => {
  it('answers the hostname without www.', () => {
    expect(referrerDomain('https://www.google.com/search?q=skopos')).toBe('google.com');
    expect(referrerDomain('https://news.ycombinator.com/item?id=1')).toBe('news.ycombinator.com');
    expect(referrerDomain('http://WWW.Example.ORG:8080/a')).toBe('example.org');
    expect(referrerDomain('android-app://com.google.android.gm/')).toBe('com.google.android.gm');
  });

  it("answers '' for empty, invalid and host-less referrers", () => {
    expect(referrerDomain('')).toBe('');
    expect(referrerDomain('not a url')).toBe('');
    expect(referrerDomain('about:blank')).toBe('');
  });

  it("answers '' for a self-referral: same host or a subdomain of it", () => {
    expect(referrerDomain('https://example.com/pricing', 'example.com')).toBe('');
    expect(referrerDomain('https://www.example.com/', 'example.com')).toBe('');
    expect(referrerDomain('https://example.com/', 'www.example.com')).toBe('');
    expect(referrerDomain('https://blog.example.com/post', 'example.com')).toBe('');
  });

  it('keeps other sites, including look-alikes and parent domains', () => {
    expect(referrerDomain('https://notexample.com/', 'example.com')).toBe('notexample.com');
    expect(referrerDomain('https://example.com.evil.io/', 'example.com')).toBe('example.com.evil.io');
    expect(referrerDomain('https://example.com/', 'app.example.com')).toBe('example.com');
  });
});
