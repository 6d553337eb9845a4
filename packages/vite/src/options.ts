import { SkoposError } from '@skopos/core';
import type { z } from 'zod';
import { closestOption } from './option-keys.ts';
import { dashboardSchema, optionsSchema } from './options-schema.ts';
import type { ResolvedOptions, TrackerPluginOptions } from './options-types.ts';

export type * from './options-types.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `track.clicks.ignoreRoutes[0]` */
function formatPath(path: Path): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    value =
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof RegExp) return 'a RegExp';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'function' ? 'a function' : String(value);
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  RegExp: 'a RegExp',
};

/** A union branch that failed only because the value is of another branch's kind. */
function wrongKind(branch: readonly Issue[]): boolean {
  return branch.every(
    (issue) => issue.path.length === 0 && ['invalid_type', 'invalid_value'].includes(issue.code),
  );
}

/** One `<path>: <reason>` per problem, reaching into unions for the branch the value was meant for. */
function describeIssue(issue: Issue, base: Path, input: unknown): string[] {
  const path = [...base, ...issue.path];
  const at = (reason: string) => `${formatPath(path) || 'options'}: ${reason}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const meant = closestOption(path, key);
        return `${formatPath([...path, key])}: unknown option${meant ? ` (did you mean ${meant}?)` : ''}`;
      });
    case 'invalid_union': {
      const meant = issue.errors.filter((branch) => !wrongKind(branch));
      const [only] = meant;
      if (meant.length === 1 && only) return only.flatMap((inner) => describeIssue(inner, path, input));
      return [at(issue.message)];
    }
    case 'invalid_type': {
      const value = valueAt(input, path);
      if (value === undefined) return [at('required')];
      return [at(`must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(value)}`)];
    }
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return [at('must not be empty')];
      return [at(`must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`)];
    case 'too_big':
      if (issue.origin === 'string') return [at(`must be at most ${String(issue.maximum)} characters`)];
      return [at(`must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`)];
    case 'invalid_value':
      return [at(`must be one of ${issue.values.map((value) => describe(value)).join(', ')}`)];
    default:
      return [at(issue.message)];
  }
}

/** The problems of a rejected configuration, one `<path>: <reason>` each. */
function describeIssues(issues: readonly Issue[], input: unknown): string[] {
  return issues.flatMap((issue) => describeIssue(issue, [], input));
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

function without<T extends object>(value: T): Defined<T> {
  // exactOptionalPropertyTypes: keep absent options absent rather than `undefined`.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/** vite-plugin-monitor's default log file: JSON lines in `logs/<appId>.log`, a file a day, 30 kept. */
function defaultTransports(appId: string): ResolvedOptions['logging']['transports'] {
  return [
    {
      format: 'json',
      path: `logs/${appId}.log`,
      rotation: { strategy: 'daily', maxFiles: 30, compress: false },
    },
  ];
}

/**
 * Validates `trackerPlugin()`'s options (zod) and applies vite-plugin-monitor 1.x's defaults. Every
 * problem is reported at once, as `<path>: <reason>`; an unknown key at any depth is one.
 */
export function resolveOptions(options: TrackerPluginOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, options);
    throw new SkoposError(
      'invalid_options',
      `[skopos/vite] invalid trackerPlugin options (fix or remove each; the README's options table lists them all):\n  ${problems.join('\n  ')}`,
    );
  }
  const { appId, enabled, autoInit, buildVersion, track, storage, logging, dashboard, overlay } = parsed.data;
  const transports = (logging.transports ?? defaultTransports(appId)).map((transport) => ({
    format: transport.format,
    path: transport.path,
    ...(transport.rotation ? { rotation: without(transport.rotation) } : {}),
  }));
  return {
    appId,
    enabled,
    autoInit,
    ...(buildVersion === undefined ? {} : { buildVersion }),
    track: without(track),
    storage: without(storage),
    logging: { level: logging.level, transports },
    // vite-plugin-monitor 0.1's `dashboard: false` is `enabled: false`.
    dashboard: dashboard === false ? dashboardSchema.parse({}) : dashboard,
    overlay,
  };
}
