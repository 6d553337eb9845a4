import { describe, expect, it } from 'vitest';
import { setBackgroundTimeout } from './timers.ts';

describe('setBackgroundTimeout', () => {
  it('does not keep a Node process alive on its own, and still fires', async () => {
    let fired = false;
    const handle = setBackgroundTimeout(() => {
      fired = true;
    }, 1);
    expect((handle as unknown as { hasRef(): boolean }).hasRef()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toBe(true);
  });
});
