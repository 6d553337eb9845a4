import type { z } from 'zod';
import type { dashboardSchema, optionsSchema, rotationSchema, transportSchema } from './options-schema.ts';
import type {
  clickSchema,
  consoleSchema,
  errorSchema,
  httpSchema,
  navigationSchema,
} from './options-track-schema.ts';

// The option types are the schema's input types (vite-plugin-monitor 1.x's names), so the two cannot
// drift; what each option does and its default are in the README's options table.

export const CONSOLE_METHODS = [
  'log',
  'warn',
  'error',
  'debug',
  'info',
  'trace',
  'table',
  'group',
  'groupCollapsed',
  'groupEnd',
  'count',
  'countReset',
  'time',
  'timeEnd',
  'timeLog',
  'assert',
  'dir',
  'dirxml',
  'clear',
] as const;
export type ConsoleMethod = (typeof CONSOLE_METHODS)[number];
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** The storage modes of vite-plugin-monitor. */
export type StorageMode = 'auto' | 'middleware' | 'standalone' | 'http' | 'websocket';

/** Options of `trackerPlugin` (vite-plugin-monitor 1.x's `TrackerPluginOptions`). */
export type TrackerPluginOptions = z.input<typeof optionsSchema>;
export type TrackOptions = NonNullable<TrackerPluginOptions['track']>;
export type StorageOptions = NonNullable<TrackerPluginOptions['storage']>;
export type LoggingOptions = NonNullable<TrackerPluginOptions['logging']>;
export type LogTransport = z.input<typeof transportSchema>;
export type RotationOptions = z.input<typeof rotationSchema>;
export type DashboardOptions = z.input<typeof dashboardSchema>;
export type OverlayOptions = NonNullable<TrackerPluginOptions['overlay']>;
export type ClickTrackOptions = z.input<typeof clickSchema>;
export type HttpTrackOptions = z.input<typeof httpSchema>;
export type ErrorTrackOptions = z.input<typeof errorSchema>;
export type NavigationTrackOptions = z.input<typeof navigationSchema>;
export type ConsoleTrackOptions = z.input<typeof consoleSchema>;

/** A tracker's option once resolved: off, on with its defaults, or its options with the defaults filled in. */
export type ResolvedToggle<T extends z.ZodType> = boolean | z.output<T>;

/** Options with validation done and defaults applied. */
export interface ResolvedOptions {
  appId: string;
  /** `false` turns the whole plugin off. */
  enabled: boolean;
  /** Whether the page calls `tracker.init()` itself. */
  autoInit: boolean;
  buildVersion?: string;
  track: {
    clicks: ResolvedToggle<typeof clickSchema>;
    http: ResolvedToggle<typeof httpSchema>;
    errors: ResolvedToggle<typeof errorSchema>;
    navigation: ResolvedToggle<typeof navigationSchema>;
    console: ResolvedToggle<typeof consoleSchema>;
    /** Events below this level are dropped in the browser. */
    level: LogLevel;
    userId?: () => string | null;
  };
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
  logging: {
    level: LogLevel;
    /** As given: the dev server resolves relative paths against the Vite root. */
    transports: {
      format: 'json' | 'pretty';
      path: string;
      rotation?: {
        strategy: 'daily' | 'size';
        maxSize?: string;
        maxFiles: number;
        compress: boolean;
      };
    }[];
  };
  /** `dashboard: false` resolves to `enabled: false`. `auth` is for the server only, never a page. */
  dashboard: {
    enabled: boolean;
    route: string;
    pollInterval: number;
    auth: { username: string; password: string } | false;
    includeInBuild: boolean;
  };
  overlay: {
    enabled: boolean;
    position: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
  };
}
