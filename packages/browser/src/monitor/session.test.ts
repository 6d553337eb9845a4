// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, uuid } from './session.ts';
import { monitorConfig } from './test-config.ts';

beforeEach(() => sessionStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe('the monitor session', () => {
  it('keeps its ids for the tab: a reload (a new session object) continues them', () => {
    const first = createSession(monitorConfig());
    const reloaded = createSession(monitorConfig());
    expect(reloaded.sessionId).toBe(first.sessionId);
    expect(reloaded.userId).toBe(first.userId);
  });

  it("continues vite-plugin-monitor's ids, written under its keys", () => {
    sessionStorage.setItem('__tracker_session_id__', 'sess_from-the-peer');
    sessionStorage.setItem('__tracker_user_id__', 'anon_from-the-peer');
    expect(createSession(monitorConfig())).toMatchObject({
      sessionId: 'sess_from-the-peer',
      userId: 'anon_from-the-peer',
    });
  });

  it('takes the user from the resolver when it names one, and remembers it', () => {
    const session = createSession(monitorConfig(), () => 'user-7');
    expect(session.userId).toBe('user-7');
    session.resolve(() => null);
    expect(session.userId).toBe('user-7');
    expect(createSession(monitorConfig()).userId).toBe('user-7');
  });

  it('still works when storage throws (sandboxed frames): ids for the page only', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const session = createSession(monitorConfig());
    expect(session.sessionId).toMatch(/^sess_/);
    expect(session.event('custom', 'info', {}).sessionId).toBe(session.sessionId);
  });

  it('makes random ids without randomUUID (plain-http origins such as a LAN dev server)', () => {
    // Shadows the prototype's method for this test only.
    Object.defineProperty(crypto, 'randomUUID', { configurable: true, value: undefined });
    const ids = new Set([uuid(), uuid()]);
    Reflect.deleteProperty(crypto, 'randomUUID');
    expect(uuid()).toMatch(/^[0-9a-f]{8}-/);
    expect(ids.size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^\d+(-\d+){3}$/);
  });

  it('leaves appId and empty context out as vite-plugin-monitor does: unknown app, no context key', () => {
    const event = createSession(monitorConfig({ appId: '' })).event('click', 'info', { tag: 'button' });
    expect(event.appId).toBe('unknown');
    expect(JSON.parse(JSON.stringify(event))).not.toHaveProperty('context');
  });
});
