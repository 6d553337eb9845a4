/**
 * The option objects of vite-plugin-monitor 1.x's `track.*` (`true` = every default below), so a
 * user's config keeps working unchanged. Patterns arrive as real RegExps: the plugin writes them
 * into the page as regex literals. A string pattern matches by equality, a RegExp by `test`.
 */
export type Pattern = string | RegExp;

/** `track.clicks` */
export interface ClickTrackOptions {
  /** Pathnames where clicks are not tracked (default `[]`); the dashboard route always is. */
  ignoreRoutes?: Pattern[];
  /** CSS selectors: a click on a match or inside one is not tracked (default `[]`). */
  ignoreSelectors?: string[];
}

/** `track.http` */
export interface HttpTrackOptions {
  /** Default `false` for all four captures. */
  captureRequestHeaders?: boolean;
  captureRequestBody?: boolean;
  captureResponseHeaders?: boolean;
  captureResponseBody?: boolean;
  /** Header names dropped on top of the built-in sensitive ones (case-insensitive). */
  excludeHeaders?: string[];
  /** JSON keys redacted on top of the built-in ones (case-insensitive substrings). */
  redactKeys?: string[];
  /** Longest stored body in characters after redaction (default 2048; 0 = no limit). */
  maxBodySize?: number;
  /** Methods not tracked, case-insensitive (default `[]`). */
  ignoreMethods?: string[];
  /** URLs not tracked, as written by the caller (default `[]`). */
  ignoreUrls?: Pattern[];
}

/** `track.errors` */
export interface ErrorTrackOptions {
  /** Messages not tracked (default `[]`). */
  ignoreMessages?: Pattern[];
}

export type NavigationTrigger = 'pushState' | 'replaceState' | 'popstate' | 'hashchange' | 'load';

/** `track.navigation` */
export interface NavigationTrackOptions {
  /** Routes (pathname + search): a navigation from or to one is not tracked (default `[]`). */
  ignoreRoutes?: Pattern[];
  /** Triggers not tracked (default `[]`); the page load always is. */
  ignoreTypes?: Exclude<NavigationTrigger, 'load'>[];
}

export type ConsoleMethod =
  | 'log'
  | 'warn'
  | 'error'
  | 'debug'
  | 'info'
  | 'trace'
  | 'table'
  | 'group'
  | 'groupCollapsed'
  | 'groupEnd'
  | 'count'
  | 'countReset'
  | 'time'
  | 'timeEnd'
  | 'timeLog'
  | 'assert'
  | 'dir'
  | 'dirxml'
  | 'clear';

/** `track.console` */
export interface ConsoleTrackOptions {
  /** Methods patched (default: all 19). */
  methods?: ConsoleMethod[];
  /** Longest serialised argument in characters (default 1024). */
  maxArgLength?: number;
  /** Arguments kept per call (default 10). */
  maxArgs?: number;
  /** Attach a stack to `console.error` events (default `false`; `console.trace` always has one). */
  captureStackOnError?: boolean;
  /** First arguments not tracked, on top of the fixed `[vite]`, `[HMR]` and `[tracker]`. */
  ignorePatterns?: Pattern[];
}
