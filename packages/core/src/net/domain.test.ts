import { describe, expect, it } from 'vitest';
import { compileDomainRule, hostnameMatchesDomain } from './domain.ts';

describe('hostnameMatchesDomain', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.COM', true],
    ['www.example.com', 'example.com', true],
    ['example.com', 'www.example.com', true],
    ['blog.example.com', 'www.example.com', true],
    ['a.b.example.com', 'example.com', true],
    ['example.com.', 'example.com', true],
    ['example.com', 'example.com.', true],
    ['example.com', 'https://example.com/', true],
    ['shop.example.com', 'https://www.example.com:8443/path?q=1', true],
    ['example.com', 'example.com:8080', true],
    ['example.com', ' example.com ', true],
    ['app.example.com', '*.example.com', true],
    ['xn--mnchen-3ya.de', 'münchen.de', true],
    ['shop.münchen.de', 'MÜNCHEN.de', true],
    ['anything.io', '', true],
    ['', '', true],
    ['localhost', 'localhost', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['[::1]', '::1', true],
    // hostile or unrelated hosts
    ['notexample.com', 'example.com', false],
    ['example.com.evil.io', 'example.com', false],
    ['evil.io', 'example.com', false],
    ['example.co', 'example.com', false],
    ['com', 'example.com', false],
    ['xample.com', 'example.com', false],
    ['evil.io/example.com', 'example.com', false],
    ['evil.io#.example.com', 'example.com', false],
    ['evil.io?.example.com', 'example.com', false],
    ['', 'example.com', false],
    ['wwwexample.com', 'example.com', false],
    ['1.127.0.0.1', '127.0.0.1', false],
    ['example.com', 'http://', false],
  ])('%j on %j → %s', (hostname, domain, expected) => {
    expect(hostnameMatchesDomain(hostname, domain)).toBe(expected);
  });
});

describe('compileDomainRule', () => {
  it('compiles once and answers many hostnames', () => {
    const matches = compileDomainRule('Example.com');
    expect(['example.com', 'www.example.com', 'cdn.example.com'].map(matches)).toEqual([true, true, true]);
    expect(['example.org', 'example.com.au'].map(matches)).toEqual([false, false]);
  });
});
