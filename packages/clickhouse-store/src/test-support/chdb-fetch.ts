import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll } from 'vitest';
import { sqlString } from '../sql.ts';

/**
 * ClickHouse's HTTP interface served in-process by chdb (the current ClickHouse engine, 26.x),
 * through the store's `fetch` option.
 *
 * Why: the store's SQL is written for Debian's ClickHouse 18.16, which the other tests run; these
 * fake requests prove the very same statements, byte for byte as `http-client.ts` sends them, on
 * the engine users of a current ClickHouse cluster run. Only the transport is faked: the SQL, the
 * settings and the insert data reach the engine unchanged.
 *
 * What it serves, as the real server would:
 * - the statement: the `query` URL parameter, then a newline and the body (for an insert, the rows
 *   after `INSERT … FORMAT JSONEachRow`), or the body alone;
 * - `database`: the statement's current database (`default` when absent);
 * - every other URL parameter is a setting of this request alone (`SET name = 'value'`, back to
 *   `DEFAULT` on the next request without it), except the handler's own parameters below (chdb
 *   always answers a whole result, as with `wait_end_of_query=1`);
 * - the answer: 200 with the output (`FORMAT …` of the statement, else TabSeparated), or 500 with
 *   ClickHouse's `Code: N. DB::Exception: …` text and `X-ClickHouse-Exception-Code`, so the store's
 *   `ClickHouseError` (status, serverCode) works as against the server. Current servers answer
 *   some codes with 400/404; 18.16 and the store's handling use 500, kept here.
 *
 * Not served: authentication (`X-ClickHouse-User`/`-Key` are ignored: chdb has no users), sessions
 * (`session_id`), compression. Requests run one at a time (a `USE`/`SET` and the statement must not
 * interleave with another request's), which is one of the orders a server may run them in.
 */

/** URL parameters the HTTP handler reads itself: not settings. */
const HANDLER_PARAMS = new Set([
  'query',
  'database',
  'default_format',
  'query_id',
  'wait_end_of_query',
  'buffer_size',
]);

/** Host of the stores that go through `chdbFetch` (never resolved: no request leaves the process). */
export const CHDB_URL = 'http://chdb.invalid';

/** A `fetch` answering ClickHouse HTTP requests from `session`. */
export function chdbFetch(session: Session): typeof fetch {
  let queue: Promise<unknown> = Promise.resolve();
  // Settings are per request on the server but stay set in a chdb session: names to reset.
  let previous: string[] = [];
  return async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    const run = queue.then(async () => {
      const params = new URL(request.url).searchParams;
      const settings = [...params].filter(([name]) => !HANDLER_PARAMS.has(name));
      const assignments = [
        ...settings.map(([name, value]) => `${name} = ${sqlString(value)}`),
        ...previous.filter((name) => !params.has(name)).map((name) => `${name} = DEFAULT`),
      ];
      previous = settings.map(([name]) => name);
      return answer(session, request, params, body, assignments);
    });
    queue = run.catch(() => undefined);
    return run;
  };
}

async function answer(
  session: Session,
  request: Request,
  params: URLSearchParams,
  body: string,
  assignments: readonly string[],
): Promise<Response> {
  request.signal.throwIfAborted();
  const inUrl = params.get('query');
  const statement = inUrl === null ? body : body === '' ? inUrl : `${inUrl}\n${body}`;
  try {
    await session.queryAsync(`USE ${params.get('database') ?? 'default'}`);
    if (assignments.length > 0) await session.queryAsync(`SET ${assignments.join(', ')}`);
    const format = params.get('default_format') ?? 'TabSeparated';
    const result = await session.queryAsync(statement, { format });
    request.signal.throwIfAborted();
    return new Response(result.text(), { status: 200 });
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason;
    const code = (error as { clickhouseCode?: number }).clickhouseCode;
    const message = error instanceof Error ? error.message : String(error);
    const text = /^Code: \d+/.test(message) || code === undefined ? message : `Code: ${code}. ${message}`;
    const headers: Record<string, string> =
      code === undefined ? {} : { 'X-ClickHouse-Exception-Code': String(code) };
    return new Response(`${text}\n`, { status: 500, headers });
  }
}

/**
 * One chdb session for the test file, in a temporary directory: opened in `beforeAll`, closed and
 * deleted in `afterAll`. `url` and `fetch` are what a store's options need.
 */
export function useChdb(): { readonly url: string; readonly fetch: typeof fetch } {
  let session: Session | undefined;
  let dir: string | undefined;
  let served: typeof fetch | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skopos-chdb-'));
    session = new Session(dir);
    served = chdbFetch(session);
  });
  afterAll(() => {
    session?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: CHDB_URL,
    fetch: (input, init) => {
      if (served === undefined) throw new Error('[skopos/clickhouse] the chdb session has not started');
      return served(input, init);
    },
  };
}
