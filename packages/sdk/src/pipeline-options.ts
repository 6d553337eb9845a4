import { createLogger, type Logger, type SkoposOptions, type Store } from '@skopos/core';
import type { SkoposSDKOptions } from './options.ts';

/** `debug: true` → every line from debug up; otherwise info and above (errors always). */
export function createSdkLogger(options: SkoposSDKOptions): Logger {
  if (options.logger) return options.logger;
  return createLogger({
    level: options.debug === true ? 'debug' : 'info',
    prefix: '[skopos/sdk]',
    ...(options.logSink ? { sink: options.logSink } : {}),
  });
}

/**
 * The original Skopos SDK's options mapped onto the core pipeline. `batch` is off by default, as in the original SDK.
 * Visitor ids are the core's `stable` ones: the original SDK's plain SHA-256 of site, IP and user agent
 * (`legacy`) can be reversed to the IP by hashing every address, so it is only used when asked for.
 */
export function pipelineOptions(options: SkoposSDKOptions, store: Store, logger: Logger): SkoposOptions {
  // Said out loud: a silently ignored key would leave the countries of its users blank unnoticed.
  if (options.chapybaraApiKey !== undefined) {
    logger.warn(
      'option `chapybaraApiKey` is ignored: Skopos does not call Chapybara. Countries come from CDN headers (cf-ipcountry…) unless you pass `geo`, e.g. geoipLookup() of @skopos/geoip, which looks IP addresses up locally',
    );
  }
  const resolved: SkoposOptions = {
    store,
    logger,
    batch: options.batch ?? false,
    visitorIdMode: options.visitorIdMode ?? 'stable',
    trustProxy: options.trustProxy ?? false,
  };
  // exactOptionalPropertyTypes: copy only what the caller set, so the core applies its defaults.
  if (options.batchInterval !== undefined) resolved.batchInterval = options.batchInterval;
  if (options.maxBatchSize !== undefined) resolved.maxBatchSize = options.maxBatchSize;
  if (options.sessionTimeoutMs !== undefined) resolved.sessionTimeoutMs = options.sessionTimeoutMs;
  if (options.jsErrorBatchInterval !== undefined)
    resolved.jsErrorBatchInterval = options.jsErrorBatchInterval;
  if (options.secret !== undefined) resolved.secret = options.secret;
  if (options.geo !== undefined) resolved.geo = options.geo;
  if (options.shutdownTimeoutMs !== undefined) resolved.shutdownTimeoutMs = options.shutdownTimeoutMs;
  if (options.maxQueueSize !== undefined) resolved.maxQueueSize = options.maxQueueSize;
  return resolved;
}
