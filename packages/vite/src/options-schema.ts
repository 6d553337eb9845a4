import { LIMITS } from '@skopos/core';
import { z } from 'zod';
import { TRACKER_BASE } from './endpoints.ts';
import { count, documented, flag, level, trackSchema } from './options-track-schema.ts';

/**
 * The zod schema of `trackerPlugin()`'s options: vite-plugin-monitor 1.x's whole option tree with its
 * defaults. Every object is strict, so an unknown key at any depth is an error naming its path.
 * The README's options table is checked against this schema (`optionDocs`).
 */

const url = z.string().refine((value) => /^(https?:\/\/|\/)/.test(value), {
  error: 'must be an http(s) URL or a path starting with /',
});
/**
 * An endpoint option: `''` reads as not set, as in vite-plugin-monitor, since a blank line of a
 * `.env` file (`VITE_TRACKER_URL=`) gives one through `loadEnv`.
 */
const endpoint = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const route = z
  .string()
  .regex(/^\/[^?#\s\\]*[^/?#\s\\][^?#\s\\]*$/, 'must be a path below /, such as /_dashboard')
  // The dashboard normalises '/x/' to '/x'; so does this option, so that every reader sees one route.
  .overwrite((value) => value.replace(/\/+$/, ''))
  .refine((value) => value === `${TRACKER_BASE}/dashboard` || !`${value}/`.startsWith(`${TRACKER_BASE}/`), {
    error: `must not be under ${TRACKER_BASE}, where the tracker's routes are (except ${TRACKER_BASE}/dashboard)`,
  });

const storage = z
  .strictObject({
    mode: z.enum(['auto', 'middleware', 'standalone', 'http', 'websocket']).default('auto'),
    writeEndpoint: endpoint(url),
    readEndpoint: endpoint(url),
    pingEndpoint: endpoint(url),
    apiKey: z.string().optional(),
    port: count(0).max(65_535).default(4242),
    batchSize: count(1).default(25),
    flushInterval: count(1).default(3000),
    maxBufferSize: count(1).default(500_000),
    wsEndpoint: endpoint(
      z.string().refine((value) => /^wss?:\/\//.test(value), { error: 'must start with ws:// or wss://' }),
    ),
  })
  .prefault({})
  .superRefine((value, ctx) => {
    if (value.mode === 'http' && !value.writeEndpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['writeEndpoint'],
        message: "required when storage.mode is 'http'",
      });
    }
    if (value.mode === 'websocket' && !value.wsEndpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['wsEndpoint'],
        message: "required when storage.mode is 'websocket'",
      });
    }
  });

export const rotationSchema = z.strictObject({
  strategy: z.enum(['daily', 'size']),
  maxSize: z
    .string()
    .regex(/^\d+(\.\d+)?(b|kb|mb|gb)?$/i, "must be a size such as '10mb' (b, kb, mb or gb)")
    .optional()
    .register(documented, { default: "`'10mb'` (size strategy)" }),
  maxFiles: count(1).default(30),
  compress: flag(false),
});
export const transportSchema = z.strictObject({
  format: z.enum(['json', 'pretty']),
  path: z.string().min(1),
  rotation: rotationSchema.optional(),
});
const logging = z
  .strictObject({
    level: level.default('info'),
    transports: z.array(transportSchema).optional().register(documented, {
      default:
        "`[{ format: 'json', path: 'logs/<appId>.log', rotation: { strategy: 'daily', maxFiles: 30, compress: false } }]`",
    }),
  })
  .prefault({});

export const dashboardSchema = z.strictObject({
  enabled: flag(false),
  route: route.default('/_dashboard'),
  auth: z
    .union([z.literal(false), z.strictObject({ username: z.string().min(1), password: z.string().min(1) })], {
      error: 'must be false or { username, password }',
    })
    .default(false),
  includeInBuild: flag(false),
  pollInterval: count(500).default(3000),
});
const dashboard = z
  .union([z.literal(false), dashboardSchema], { error: 'must be false or an options object' })
  .prefault({});

const overlay = z
  .strictObject({
    enabled: flag(false),
    position: z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left']).default('bottom-right'),
  })
  .prefault({});

export const optionsSchema = z.strictObject({
  // Longer ids would have every event refused (the app id names the site its events belong to).
  appId: z.string().min(1).max(LIMITS.siteIdMaxChars),
  enabled: flag(true),
  autoInit: flag(true),
  buildVersion: z
    .string()
    .optional()
    .register(documented, { default: "the `version` in your project's `package.json` (none without one)" }),
  track: trackSchema,
  storage,
  logging,
  dashboard,
  overlay,
});
