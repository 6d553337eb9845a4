import { describe, expect, it } from 'vitest';
import { changesSchema, fetchWithTimeout, RequestTimeout, timeoutOf } from './request-timeout.ts';
import { useHoldingServer } from './test-support/holding-server.ts';

// `/silent` takes the request and never answers, `/headers-only` sends its status and headers and
// then withholds the body, `/json` and `/empty` answer at once.
const url = useHoldingServer((req, res) => {
  if (req.url === '/silent') return 'hold';
  if (req.url === '/headers-only') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    return 'hold';
  }
  if (req.url === '/empty') res.writeHead(204).end();
  else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  return undefined;
});

const timed = fetchWithTimeout(fetch, 150);

describe('fetchWithTimeout', () => {
  it('fails a request the server never answers with a RequestTimeout naming the limit', async () => {
    const failure = await timed(`${url()}/silent`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestTimeout);
    expect((failure as Error).message).toBe('no answer within 150 ms');
  });

  it('counts the body too: headers without a body still time out', async () => {
    const failure = await timed(`${url()}/headers-only`).catch((error: unknown) => error);
    expect(timeoutOf(failure)).toBeInstanceOf(RequestTimeout);
  });

  it('holds for a custom fetch that ignores its signal, or rejects with an error of its own', async () => {
    const deaf: typeof fetch = () => new Promise(() => {});
    expect(await fetchWithTimeout(deaf, 50)(`${url()}/json`).catch((error: unknown) => error)).toBeInstanceOf(
      RequestTimeout,
    );
    const ownError: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    expect(
      await fetchWithTimeout(ownError, 50)(`${url()}/json`).catch((error: unknown) => error),
    ).toBeInstanceOf(RequestTimeout);
  });

  it('hands back the whole answer, bodiless statuses included', async () => {
    const json = await timed(`${url()}/json`);
    expect(json.url).toBe(`${url()}/json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ ok: true });
    expect((await timed(`${url()}/empty`)).status).toBe(204);
  });

  it("keeps the caller's own signal: aborting it ends the request at once", async () => {
    const controller = new AbortController();
    const slow = fetchWithTimeout(fetch, 60_000);
    const pending = slow(`${url()}/silent`, { signal: controller.signal }).catch((error: unknown) => error);
    controller.abort(new Error('caller gave up'));
    expect(((await pending) as Error).message).toBe('caller gave up');
    // Also with a fetch that ignores its signal.
    const deaf: typeof fetch = () => new Promise(() => {});
    const again = new AbortController();
    const waiting = fetchWithTimeout(deaf, 60_000)(`${url()}/json`, { signal: again.signal }).catch(
      (error: unknown) => error,
    );
    again.abort(new Error('caller gave up again'));
    expect(((await waiting) as Error).message).toBe('caller gave up again');
  });

  it('tells collection changes (which may take minutes) from record requests', () => {
    const api = 'http://pb.test/api/collections';
    expect(changesSchema(`${api}`, 'POST')).toBe(true);
    expect(changesSchema(`${api}/events`, 'PATCH')).toBe(true);
    expect(changesSchema(`${api}/import`, 'PUT')).toBe(true);
    expect(changesSchema(`${api}/events?fields=id`, 'DELETE')).toBe(true);
    expect(changesSchema(`${api}/events`, 'GET')).toBe(false);
    expect(changesSchema(`${api}/events/records`, 'POST')).toBe(false);
    expect(changesSchema(`${api}/events/records/abc`, 'PATCH')).toBe(false);
    expect(changesSchema('http://pb.test/api/batch', 'POST')).toBe(false);
  });

  it('finds the timeout inside an SDK error, and nothing in other errors', () => {
    const timeout = new RequestTimeout(5);
    expect(timeoutOf({ originalError: timeout })).toBe(timeout);
    expect(timeoutOf(new Error('no answer within 5 ms'))).toBeNull();
    expect(timeoutOf(null)).toBeNull();
  });
});
