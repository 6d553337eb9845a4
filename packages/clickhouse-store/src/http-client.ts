import { ClickHouseError, REFUSED_DATA_CODES, serverMessage } from './errors.ts';
import { parseUrl } from './url.ts';

/**
 * A small client for ClickHouse's HTTP interface (port 8123), written for 18.16 and later: one POST
 * per statement through `fetch`, rows in and out as `JSONEachRow`. The official `@clickhouse/client`
 * needs ClickHouse 22.x or later (it relies on settings and formats 18.16 does not have).
 */
export interface ClickHouseHttpOptions {
  /** e.g. `http://127.0.0.1:8123`; credentials in the URL are moved to headers. */
  url: string;
  /** Database every statement runs in unless it names another (default: the server's default). */
  database?: string;
  /** Sent as `X-ClickHouse-User` / `X-ClickHouse-Key` (default user `default`, no password). */
  username?: string;
  password?: string;
  /** Per request, from sending to the last byte of the answer (default 30 000 ms). */
  timeoutMs?: number;
  /** The `fetch` every request goes through (proxies, request counting). */
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Settings on every request: integers as JSON numbers (ms timestamps fit in 2^53), errors as HTTP status. */
const BASE_SETTINGS: Record<string, string> = {
  output_format_json_quote_64bit_integers: '0',
  // The server buffers the answer, so an error mid-query becomes a 500 instead of a truncated 200.
  wait_end_of_query: '1',
};

export class ClickHouseHttp {
  readonly #endpoint: URL;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #secrets: string[];
  /** Shown in errors: the URL without credentials. */
  readonly origin: string;

  constructor(options: ClickHouseHttpOptions) {
    const endpoint = parseUrl(options.url);
    const username = options.username ?? (decodeURIComponent(endpoint.username) || 'default');
    const password = options.password ?? decodeURIComponent(endpoint.password);
    endpoint.username = '';
    endpoint.password = '';
    if (options.database !== undefined) endpoint.searchParams.set('database', options.database);
    for (const [name, value] of Object.entries(BASE_SETTINGS)) endpoint.searchParams.set(name, value);
    this.#endpoint = endpoint;
    this.origin = endpoint.origin;
    this.#headers = { 'X-ClickHouse-User': username, 'Content-Type': 'text/plain; charset=utf-8' };
    if (password !== '') this.#headers['X-ClickHouse-Key'] = password;
    this.#secrets = password === '' ? [] : [password];
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Run a statement without result rows (DDL, `INSERT … SELECT`). */
  async command(sql: string, label = firstWords(sql)): Promise<void> {
    await this.#post(sql, undefined, label);
  }

  /** Rows of a `SELECT` (the client appends `FORMAT JSONEachRow`). */
  async select<T>(sql: string, label = firstWords(sql)): Promise<T[]> {
    const text = await this.#post(`${sql}\nFORMAT JSONEachRow`, undefined, label);
    const rows: T[] = [];
    for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as T);
    return rows;
  }

  /**
   * Insert `rows` into `table` as `JSONEachRow` (JSON escaping, no SQL text built from values).
   * `sensitive` values are masked should the server echo them in an error.
   */
  async insert(table: string, rows: readonly object[], sensitive: readonly string[] = []): Promise<void> {
    if (rows.length === 0) return;
    const body = `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
    await this.#post(`INSERT INTO ${table} FORMAT JSONEachRow`, body, `INSERT INTO ${table}`, sensitive);
  }

  async #post(query: string, data: string | undefined, label: string, sensitive: readonly string[] = []) {
    const url = new URL(this.#endpoint);
    // A statement with data goes in the URL (the body holds the rows); others in the body.
    if (data !== undefined) url.searchParams.set('query', query);
    // Only an insert's refusal is the data's fault: a query refused for a value is this package's.
    const refused = (code?: number): boolean =>
      data !== undefined && code !== undefined && REFUSED_DATA_CODES.has(code);
    const fail = (detail: string, status: number, code?: number, cause?: unknown): ClickHouseError =>
      new ClickHouseError(
        this.#mask(`[skopos/clickhouse] ${label} failed at ${this.origin}: ${detail}`, sensitive),
        status,
        code,
        { cause, refused: refused(code) },
      );
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers: this.#headers,
        body: data ?? query,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return text;
      const { text: message, code } = serverMessage(text);
      throw fail(`HTTP ${response.status}: ${message}${hint(code)}`, response.status, code);
    } catch (error) {
      if (error instanceof ClickHouseError) throw error;
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw fail(`no answer within ${this.#timeoutMs} ms (timeoutMs)`, 0, undefined, error);
      }
      throw fail(`ClickHouse is not reachable (${describe(error)}); check that it runs`, 0, undefined, error);
    }
  }

  #mask(message: string, sensitive: readonly string[]): string {
    let masked = message;
    for (const secret of [...this.#secrets, ...sensitive]) {
      if (secret !== '') masked = masked.split(secret).join('***');
    }
    return masked;
  }
}

/** ClickHouse's codes for a missing table (60) and database (81): the usual first-run mistake. */
function hint(code: number | undefined): string {
  return code === 60 || code === 81 ? ' (has ensureSchema() run against this server and database?)' : '';
}

/** Longest statement label in an error: enough to tell statements apart. */
const MAX_LABEL = 60;

/** `SELECT …`, `CREATE TABLE x` …: enough of a statement to say which one failed, never its values. */
function firstWords(sql: string): string {
  const words = sql.trim().split(/\s+/).slice(0, 3).join(' ').replace(/'.*$/, '…');
  return words.length > MAX_LABEL ? `${words.slice(0, MAX_LABEL)}…` : words;
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
