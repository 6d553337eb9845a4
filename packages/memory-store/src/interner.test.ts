import { describe, expect, it } from 'vitest';
import { Interner } from './interner.ts';

describe('Interner', () => {
  it('shares one id per string and forgets the string when its last reference goes', () => {
    const interner = new Interner();
    const a = interner.intern('/pricing');
    expect(interner.intern('/pricing')).toBe(a);
    expect(interner.get(a)).toBe('/pricing');
    interner.release(a);
    expect(interner.find('/pricing'), 'still held once').toBe(a);
    interner.release(a);
    expect(interner.find('/pricing')).toBe(-1);
    expect(interner.size).toBe(0);
    const b = interner.intern('/docs');
    expect(b, 'a freed id is reused, so counters stay small').toBe(a);
    expect(interner.capacity).toBe(1);
  });

  it('grows past its initial reference table', () => {
    const interner = new Interner();
    const ids = Array.from({ length: 1000 }, (_, i) => interner.intern(`k${i}`));
    expect(new Set(ids).size).toBe(1000);
    expect(interner.get(ids[999] ?? -1)).toBe('k999');
  });
});
