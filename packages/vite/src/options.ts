import { SkoposError } from '@skopos/core';
import { z } from 'zod';

/** The storage modes of vite-plugin-monitor. */
export type StorageMode = 'auto' | 'middleware' | 'standalone' | 'http' | 'websocket';

/** `storage` of `trackerPlugin` (vite-plugin-monitor); every field is optional except `wsEndpoint` in `websocket` mode. */
export interface StorageOptions {
  /** Default `'auto'`: middleware in dev, an error at build without `writeEndpoint`. */
  mode?: StorageMode | undefined;
  /** URL receiving `POST { "events": [...] }`; required when `mode = 'http'`. */
  writeEndpoint?: string | undefined;
  /** URL the dashboard reads (`?since=&until=`); default: `writeEndpoint` without its last path segment. */
  readEndpoint?: string | undefined;
  /** URL polled by the dashboard's health dot; without it the dot is hidden. */
  pingEndpoint?: string | undefined;
  /** Sent as `X-Tracker-Key` on ingest, read and ping; visible in the page (a filter, not a secret). */
  apiKey?: string | undefined;
  /** Port of the standalone server (default 4242; 0 = any free port). */
  port?: number | undefined;
  /** Events queued in the browser before a send (default 25). */
  batchSize?: number | undefined;
  /** Longest wait in ms before queued events are sent (default 3000). */
  flushInterval?: number | undefined;
  /** Events kept in the in-memory ring buffer of middleware/standalone modes (default 500000). */
  maxBufferSize?: number | undefined;
  /** `ws://` or `wss://` URL; required when `mode = 'websocket'`. */
  wsEndpoint?: string | undefined;
}

/** Options of `trackerPlugin`. */
export interface TrackerPluginOptions {
  /** Tracking id of the app, sent as `siteId` with every event. */
  appId: string;
  storage?: StorageOptions | undefined;
  /** The dashboard route of the dev server (default `/_tracker/dashboard`); `false` serves none. */
  dashboard?: { route?: string | undefined } | false | undefined;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  appId: string;
  storage: {
    mode: StorageMode;
    port: number;
    batchSize: number;
    flushInterval: number;
    maxBufferSize: number;
    writeEndpoint?: string;
    readEndpoint?: string;
    pingEndpoint?: string;
    apiKey?: string;
    wsEndpoint?: string;
  };
  dashboard: { route: string } | false;
}

const url = (name: string) =>
  z.string({ error: `${name} must be a string URL` }).refine((value) => /^(https?:\/\/|\/)/.test(value), {
    error: `${name} must be an http(s) URL or a path starting with /`,
  });
const positiveInt = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(1, `${name} must be ≥ 1`);

const schema = z.object({
  appId: z.string({ error: 'appId must be a string' }).min(1, 'appId must not be empty'),
  storage: z
    .object({
      mode: z
        .enum(['auto', 'middleware', 'standalone', 'http', 'websocket'], {
          error: "storage.mode must be one of 'auto', 'middleware', 'standalone', 'http', 'websocket'",
        })
        .default('auto'),
      writeEndpoint: url('storage.writeEndpoint').optional(),
      readEndpoint: url('storage.readEndpoint').optional(),
      pingEndpoint: url('storage.pingEndpoint').optional(),
      apiKey: z.string({ error: 'storage.apiKey must be a string' }).optional(),
      port: z
        .number({ error: 'storage.port must be a number' })
        .int('storage.port must be an integer')
        .min(0, 'storage.port must be from 0 to 65535')
        .max(65_535, 'storage.port must be from 0 to 65535')
        .default(4242),
      batchSize: positiveInt('storage.batchSize').default(25),
      flushInterval: positiveInt('storage.flushInterval').default(3000),
      maxBufferSize: positiveInt('storage.maxBufferSize').default(500_000),
      wsEndpoint: z
        .string({ error: 'storage.wsEndpoint must be a string' })
        .refine((value) => /^wss?:\/\//.test(value), {
          error: 'storage.wsEndpoint must start with ws:// or wss://',
        })
        .optional(),
    })
    .strict()
    .default({ mode: 'auto', port: 4242, batchSize: 25, flushInterval: 3000, maxBufferSize: 500_000 })
    .superRefine((storage, ctx) => {
      if (storage.mode === 'http' && !storage.writeEndpoint) {
        ctx.addIssue({
          code: 'custom',
          path: ['writeEndpoint'],
          message: "storage.writeEndpoint is required when storage.mode is 'http'",
        });
      }
      if (storage.mode === 'websocket' && !storage.wsEndpoint) {
        ctx.addIssue({
          code: 'custom',
          path: ['wsEndpoint'],
          message: "storage.wsEndpoint is required when storage.mode is 'websocket'",
        });
      }
    }),
  dashboard: z
    .union(
      [
        z.literal(false),
        z.object({
          route: z
            .string({ error: 'dashboard.route must be a string' })
            .regex(/^\/[^?#\s]*$/, 'dashboard.route must be a path starting with /')
            .default('/_tracker/dashboard'),
        }),
      ],
      { error: 'dashboard must be { route } or false' },
    )
    .default({ route: '/_tracker/dashboard' }),
});

function without<T extends object>(value: T): T {
  // exactOptionalPropertyTypes: keep absent options absent rather than `undefined`.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Validates the options (zod) and applies vite-plugin-monitor's defaults; errors name the option and say what to do. */
export function resolveOptions(options: TrackerPluginOptions): ResolvedOptions {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.path.join('.') || 'options'}: unknown option ${issue.keys.join(', ')}`
        : issue.message,
    );
    throw new SkoposError(
      'invalid_options',
      `[skopos/vite] invalid trackerPlugin options: ${issues.join('; ')}`,
    );
  }
  const { appId, storage, dashboard } = parsed.data;
  return { appId, storage: without(storage) as ResolvedOptions['storage'], dashboard };
}
