import { z } from 'zod';
import { CONSOLE_METHODS } from './options-types.ts';

// The `track` part of `trackerPlugin()`'s option schema (see options-schema.ts), and the helpers
// the rest of it shares.

/** Defaults that depend on other options or are too long for a literal: what the README shows instead. */
export const documented = z.registry<{ default: string }>();

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export const level = z.enum(LEVELS);
export const flag = (value: boolean) => z.boolean().default(value);
export const count = (min: number) => z.number().int().min(min);
const pattern = z.union([z.string(), z.instanceof(RegExp)], { error: 'must be a string or a RegExp' });
const patterns = () => z.array(pattern).default(() => []);
const strings = () => z.array(z.string()).default(() => []);
/** `false` (off), `true` (on with the peer's defaults) or an options object (on, defaults filled in). */
const toggle = <T extends z.ZodType>(options: T, on: boolean) =>
  z.union([z.boolean(), options], { error: 'must be true, false or an options object' }).default(on);

export const clickSchema = z.strictObject({ ignoreRoutes: patterns(), ignoreSelectors: strings() });
export const httpSchema = z.strictObject({
  captureRequestHeaders: flag(false),
  captureRequestBody: flag(false),
  captureResponseHeaders: flag(false),
  captureResponseBody: flag(false),
  excludeHeaders: strings(),
  redactKeys: strings(),
  maxBodySize: count(0).default(2048),
  ignoreMethods: strings(),
  ignoreUrls: patterns(),
});
export const errorSchema = z.strictObject({ ignoreMessages: patterns() });
export const navigationSchema = z.strictObject({
  ignoreRoutes: patterns(),
  ignoreTypes: z.array(z.enum(['pushState', 'replaceState', 'popstate', 'hashchange'])).default(() => []),
});
export const consoleSchema = z.strictObject({
  methods: z
    .array(z.enum(CONSOLE_METHODS))
    .default(() => [...CONSOLE_METHODS])
    .register(documented, { default: 'all 19 methods' }),
  maxArgLength: count(1).default(1024),
  maxArgs: count(1).default(10),
  captureStackOnError: flag(false),
  ignorePatterns: patterns(),
});

export const trackSchema = z
  .strictObject({
    clicks: toggle(clickSchema, false),
    http: toggle(httpSchema, false),
    errors: toggle(errorSchema, false),
    navigation: toggle(navigationSchema, false),
    console: toggle(consoleSchema, true),
    level: level.default('info'),
    userId: z
      .custom<() => string | null>((value) => typeof value === 'function', {
        error: 'must be a function returning the user id or null',
      })
      .optional(),
  })
  .prefault({});
