import { describe, expect, it } from 'vitest';
import { endpointKey, httpCallOf, navigationStepOf, statusClassOf } from './monitor-payload.ts';

describe('monitor payloads as the stats read them', () => {
  it('keys an endpoint by method and URL without query or hash, keeping the host of absolute URLs', () => {
    expect(endpointKey('get', '/api/cart?id=3#x')).toBe('GET /api/cart');
    expect(endpointKey('POST', 'https://u:p@API.example.com/v1/cart?x=1')).toBe(
      'POST api.example.com/v1/cart',
    );
    expect(endpointKey('GET', '//cdn.example.com')).toBe('GET cdn.example.com/');
    expect(endpointKey(undefined, 'api/relative')).toBe('api/relative');
    expect(endpointKey('GET', '?only=query')).toBe('');
    expect(endpointKey('GET', undefined)).toBe('');
  });

  it('classes statuses as the peer dashboard does, with failed for no status', () => {
    const classes = [200, 299, 302, 404, 499, 500, 599, 0, 101, null, undefined].map(statusClassOf);
    expect(classes).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
      undefined,
      undefined,
      'failed',
      'failed',
    ]);
  });

  it('keeps only positive durations and steps between two different routes', () => {
    expect(httpCallOf({ url: '/a', status: 200, duration: 0 }).duration).toBeUndefined();
    expect(httpCallOf({ url: '/a', status: 200, duration: -3 }).duration).toBeUndefined();
    expect(httpCallOf({ url: '/a', status: 200, duration: 12.5 }).duration).toBe(12.5);
    expect(navigationStepOf({ from: '/', to: '/' })).toBeUndefined();
    expect(navigationStepOf({ from: '', to: '/b' })).toBeUndefined();
    expect(navigationStepOf({ from: '/a', to: '/b' })).toEqual({ from: '/a', to: '/b' });
  });
});
