import { describe, expect, it } from 'vitest';
import { NESTED_TOO_DEEP } from './custom-data.ts';
import { isMonitorShaped, validateMonitorEvent } from './monitor-event.ts';
import { LEFT_OUT_TOO_LARGE } from './monitor-fit.ts';

const base = {
  timestamp: '2026-12-01T23:42:56.048Z',
  level: 'info',
  appId: 'my-app',
  sessionId: 'sess_1',
  userId: 'anon_1',
  meta: { userAgent: 'UA', route: '/', viewport: '1280x720', language: 'en-US' },
};

describe('validateMonitorEvent', () => {
  it.each([
    ['click', { tag: 'button', text: 'Buy', coordinates: { x: 1, y: 2 } }],
    ['http', { method: 'GET', url: '/api', status: 200, duration: 12 }],
    ['error', { message: 'boom', stack: 'Error: boom', lineno: 3, colno: 4 }],
    ['navigation', { from: '/', to: '/a', trigger: 'pushState', duration: 5 }],
    ['console', { method: 'log', message: 'hi', args: [{ type: 'string', value: 'hi' }], groupDepth: 0 }],
    ['custom', { name: 'signup', data: { plan: 'pro' } }],
    ['session', { action: 'start', trigger: 'init' }],
  ])('accepts a %s event and keeps its payload, unknown payload keys included', (type, payload) => {
    const result = validateMonitorEvent({ ...base, type, payload: { ...payload, extra: 1 } });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ type, level: 'info', payload: { ...payload, extra: 1 } }),
    });
  });

  it('refuses what it cannot read, naming each field', () => {
    const result = validateMonitorEvent(
      {
        ...base,
        type: 'session',
        appId: 'a'.repeat(101),
        sessionId: 's'.repeat(129),
        payload: { action: 'pause' },
      },
      'events.2',
    );
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual([
      'events.2.appId',
      'events.2.sessionId',
    ]);
    const action = validateMonitorEvent({ ...base, type: 'session', payload: { action: 'pause' } }, 'e');
    expect(action.ok ? [] : action.issues.map((i) => i.field)).toEqual(['e.payload.action']);
    for (const input of [
      { ...base, type: 'tap', payload: {} },
      { ...base, type: 'click' },
      { ...base, type: 'click', payload: 'button' },
      { ...base, type: 'click', payload: { tag: 'a' }, meta: 'ua' },
    ]) {
      expect(validateMonitorEvent(input).ok).toBe(false);
    }
  });

  it('reads values of other types than declared as the declared ones (what apps hand its client)', () => {
    const read = (event: Record<string, unknown>) => {
      const result = validateMonitorEvent({ ...base, ...event });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.value;
    };
    // setUser(42), a numeric group, `buildVersion: 2` in the plugin's options.
    const user = read({
      type: 'custom',
      userId: 42,
      groupId: 17,
      payload: { name: 'x' },
      meta: { buildVersion: 2 },
    });
    expect([user.userId, user.groupId, user.meta.buildVersion]).toEqual(['42', '17', '2']);
    // An unhandled rejection with a NestJS error body: message and name are what it had.
    const rejection = read({
      type: 'error',
      level: 'error',
      payload: { message: ['email must be an email'], errorType: 400, stack: null },
    });
    expect(rejection.payload).toEqual({ message: '["email must be an email"]', errorType: '400' });
    // Level words of other loggers, in any case; unknown ones are info.
    expect(
      ['warning', 'FATAL', 'Trace', 'loud', true].map(
        (level) => read({ type: 'custom', level, payload: { name: 'x' } }).level,
      ),
    ).toEqual(['warn', 'error', 'debug', 'info', 'info']);
    // A click on a form whose `id` is a child input (serialised as {}), with bad coordinates.
    const click = read({ type: 'click', payload: { tag: 'form', id: {}, coordinates: { x: '1' } } });
    expect(click.payload).toEqual({ tag: 'form', id: '{}' });
    // fetch(location): no url; a status sent as text; a duration that is no number.
    const http = read({ type: 'http', payload: { method: 'GET', status: '200', duration: 'slow' } });
    expect(http.payload).toEqual({ method: 'GET', url: '', status: 200 });
    // track('') and track(undefined): kept as sent (the stored name is decided by the mapping).
    expect(read({ type: 'custom', payload: { name: '' } }).payload).toEqual({ name: '' });
    expect(read({ type: 'custom', payload: { data: { a: 1 } } }).payload).toEqual({
      name: '',
      data: { a: 1 },
    });
    // A timestamp as epoch milliseconds; console args that are no list.
    expect(read({ type: 'custom', timestamp: 1767261600000, payload: { name: 'x' } }).clientTime).toBe(
      1767261600000,
    );
    expect(read({ type: 'custom', timestamp: 1767261600, payload: { name: 'x' } }).clientTime).toBe(
      1767261600000,
    );
    // pino's numeric levels.
    expect(
      [10, 30, 40, 50, 60].map((level) => read({ type: 'custom', level, payload: { name: 'x' } }).level),
    ).toEqual(['debug', 'info', 'warn', 'error', 'error']);
    expect(
      read({ type: 'console', payload: { method: 'log', message: 'm', args: 'a' } }).payload.args,
    ).toEqual(['a']);
    // setUser(42) also opens an identity segment naming the new user.
    const segment = read({
      type: 'session',
      userId: 42,
      payload: { action: 'start', newUserId: 42, previousUserId: null },
    });
    expect(segment.payload).toEqual({ action: 'start', newUserId: '42' });
    // Level words that are names of Object.prototype are words like any other.
    expect(
      ['constructor', '__proto__', 'toString'].map(
        (level) => read({ type: 'custom', level, payload: { name: 'x' } }).level,
      ),
    ).toEqual(['info', 'info', 'info']);
    // An id that is not text is no identity (one is derived from the event); a timestamp that is
    // neither text nor epoch milliseconds is refused (without a client time, a re-send would count twice).
    expect(read({ type: 'custom', id: 0, payload: { name: 'x' } }).id).toBeUndefined();
    for (const timestamp of [{ at: 1 }, 1e20]) {
      const refused = validateMonitorEvent({ ...base, type: 'custom', timestamp, payload: { name: 'x' } });
      expect(refused).toMatchObject({ ok: false, issues: [{ field: 'timestamp' }] });
    }
  });

  it('bounds sizes: a payload over 256 KB and over-long ids are refused; long meta labels are cut', () => {
    const big = validateMonitorEvent({
      ...base,
      type: 'console',
      payload: { method: 'log', message: 'a'.repeat(270_000) },
    });
    expect(big).toMatchObject({ ok: false, issues: [{ field: 'payload' }] });
    const longId = validateMonitorEvent({
      ...base,
      sessionId: 's'.repeat(129),
      type: 'session',
      payload: { action: 'end' },
    });
    expect(longId).toMatchObject({ ok: false, issues: [{ field: 'sessionId' }] });
    const cut = validateMonitorEvent({
      ...base,
      type: 'session',
      payload: { action: 'end' },
      meta: { userAgent: 'u'.repeat(2000) },
    });
    expect(cut.ok && cut.value.meta.userAgent?.length).toBe(512);
  });

  it("keeps a payload over 16 KB with its longest strings cut to fit, as vite-plugin-monitor's defaults capture", () => {
    // Its console tracker keeps 10 arguments of up to 1024 characters, and the message besides.
    const args = Array.from({ length: 10 }, (_, i) => ({ type: 'string', value: `${i}`.repeat(1024) }));
    const message = args.map((arg) => arg.value).join(' ');
    const console = { method: 'log', message: `${message}${'é'.repeat(6000)}`, args, groupDepth: 0 };
    const result = validateMonitorEvent({ ...base, type: 'console', payload: console });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const kept = result.value.payload as typeof console;
    expect(new TextEncoder().encode(JSON.stringify(kept)).byteLength).toBeLessThanOrEqual(16_384);
    expect(kept.method).toBe('log');
    expect(kept.message.endsWith('…')).toBe(true);
    expect(message.startsWith(kept.message.slice(0, -1))).toBe(true);
    // Every string longer than the common length is cut to it, the others stay whole.
    const common = kept.message.length - 1;
    expect(kept.args.map((arg) => arg.value)).toEqual(
      args.map(({ value }) => (value.length > common + 1 ? `${value.slice(0, common)}…` : value)),
    );
  });

  it('keeps what the app captured rather than refusing the event (its client never reads a refusal)', () => {
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { n: deep };
    // A captured API answer (Ergast's `Constructor`), a hostile key, nesting past the limit.
    const body = JSON.parse(
      '{"Constructor":"McLaren","constructor":{"prototype":{"x":1}},"__proto__":{"y":2}}',
    );
    const result = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x', data: { body, deep } },
      context: { flags: 'f'.repeat(20_000) },
      meta: { route: '/cart', userAttributes: { plan: 'pro', bio: 'b'.repeat(9000) } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const data = (result.value.payload as { data: { body: object; deep: unknown } }).data;
    expect(data.body).toEqual({ Constructor: 'McLaren' });
    expect(Object.getPrototypeOf(data.body)).toBe(Object.prototype);
    let level: unknown = data.deep;
    // payload, data and deep are levels 1 to 3: the 17th level is the first one replaced.
    for (let i = 0; i < 13; i++) level = (level as { n: unknown }).n;
    expect(level).toEqual({ n: NESTED_TOO_DEEP });
    // Context and user attributes over their limits lose the tails of their longest strings.
    expect(bytes(result.value.context)).toBe(8192);
    expect(String(result.value.context?.flags).endsWith('…')).toBe(true);
    expect(result.value.meta.userAttributes?.plan).toBe('pro');
    expect(bytes(result.value.meta)).toBeLessThanOrEqual(8192);
    // Attributes that cannot fit by cutting strings are left out; the event and its labels stay.
    const keys = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    const crowded = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x' },
      meta: { route: '/a', userAttributes: keys },
    });
    expect(crowded).toMatchObject({ ok: true, value: { meta: { route: '/a' } } });
    expect(crowded.ok && crowded.value.meta.userAttributes).toBeUndefined();
    // Labels are cut by characters; wide ones are cut further, to the bytes the field holds.
    const wide = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x' },
      meta: { route: `/${'路'.repeat(2040)}`, referrer: `https://x/${'路'.repeat(2040)}` },
    });
    expect(wide.ok && bytes(wide.value.meta)).toBeLessThanOrEqual(8192);
  });

  it('keeps an event whose userId or groupId (labels the app picks) is long, with them cut', () => {
    // vite-plugin-monitor builds a group id from a user's label, and its own server stores any length.
    const long = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x' },
      userId: 'u'.repeat(300),
      groupId: `team:${'g'.repeat(200)}`,
    });
    expect(long.ok).toBe(true);
    expect(long.ok && [long.value.userId?.length, long.value.groupId?.length]).toEqual([255, 128]);
    // The peer's group ids end in their unique part (`grp_<label>_<counter>_<time>`): two long ones stay apart.
    const label = 'checkout '.repeat(20);
    const groups = [1, 2].map((n) => {
      const event = validateMonitorEvent({
        ...base,
        type: 'custom',
        payload: { name: 'x' },
        groupId: `grp_${label}_${n}_1767261600000`,
      });
      return event.ok ? event.value.groupId : undefined;
    });
    expect(groups[0]).toMatch(/^grp_checkout .*~[0-9a-f]{16}$/);
    expect(groups[0]).toHaveLength(128);
    expect(groups[0]).not.toBe(groups[1]);
    // Past the wire bound (4096 characters) the event is refused, naming the field.
    const huge = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x' },
      groupId: 'g'.repeat(4097),
    });
    expect(huge).toMatchObject({ ok: false, issues: [{ field: 'groupId' }] });
  });

  it('leaves out captured data too large to keep once strings are cut, as the type it was; refuses what still cannot fit', () => {
    // A captured API answer of 3000 small rows: the event and its declared fields are kept.
    const rows = Array.from({ length: 3000 }, (_, id) => ({ id, ok: true }));
    const url = `/api/${'x'.repeat(100)}`;
    const http = validateMonitorEvent({
      ...base,
      type: 'http',
      payload: { method: 'GET', url, status: 200, response: { body: rows }, requestBody: 'q' },
    });
    expect(http).toMatchObject({
      ok: true,
      value: {
        payload: {
          method: 'GET',
          url,
          status: 200,
          response: { leftOut: LEFT_OUT_TOO_LARGE },
          requestBody: 'q',
        },
      },
    });
    const keys = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`key_${i}`, i]));
    const custom = validateMonitorEvent({ ...base, type: 'custom', payload: { name: 'x', data: keys } });
    expect(custom).toMatchObject({
      ok: true,
      value: { payload: { name: 'x', data: { leftOut: LEFT_OUT_TOO_LARGE } } },
    });
    // console.log(rows) with a raised maxArgLength: its arguments go, the message stays.
    const args = [{ type: 'object', value: rows }];
    const logged = validateMonitorEvent({
      ...base,
      type: 'console',
      payload: { method: 'log', message: 'rows', args },
    });
    expect(logged).toMatchObject({
      ok: true,
      value: { payload: { message: 'rows', args: [LEFT_OUT_TOO_LARGE] } },
    });
    // Only the largest captured values go: a small one next to a big one stays.
    const two = validateMonitorEvent({
      ...base,
      type: 'custom',
      payload: { name: 'x', data: keys, small: { a: 1 } },
    });
    expect(two.ok && two.value.payload.small).toEqual({ a: 1 });
    // Top-level values alone too many (6000 keys of the payload itself): refused, naming the field.
    const flat = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, i]));
    const result = validateMonitorEvent(
      { ...base, type: 'custom', payload: { name: 'x', ...flat } },
      'events.0',
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [{ field: 'events.0.payload', reason: expect.stringMatching(/must fit in 16384 bytes/) }],
    });
  });

  it('an empty id (vite-plugin-monitor 2.x) is no identity; a bad timestamp leaves the client time unset', () => {
    const result = validateMonitorEvent({
      ...base,
      id: '',
      timestamp: 'yesterday',
      type: 'session',
      payload: { action: 'start' },
    });
    expect(result.ok && result.value.id).toBeUndefined();
    expect(result.ok && result.value.clientTime).toBeNaN();
  });

  it('never throws, whatever the input', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    for (const input of [null, 1, 'x', [], hostile, { type: 'click' }]) {
      expect(validateMonitorEvent(input).ok).toBe(false);
    }
  });
});

describe('isMonitorShaped', () => {
  it('tells vite-plugin-monitor events from the Skopos payload', () => {
    expect(isMonitorShaped({ type: 'custom', payload: { name: 'x' } })).toBe(true);
    expect(isMonitorShaped({ type: 'click' })).toBe(true);
    expect(isMonitorShaped({ type: 'custom', name: 'x', url: 'https://a.example/' })).toBe(false);
    expect(isMonitorShaped({ type: 'pageView', url: 'https://a.example/' })).toBe(false);
  });
});
