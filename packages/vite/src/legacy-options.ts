import type { TrackerPluginOptions } from './options-types.ts';

/** Options of older vite-plugin-monitor 1.x releases, read as today's, with what to tell the user. */
export interface UpgradedOptions {
  options: TrackerPluginOptions;
  /** One line per old option read as a newer one (the plugin logs them as warnings). */
  notices: string[];
}

/**
 * vite-plugin-monitor 1.0–1.2 took `track.ignoreUrls` (URLs whose requests the HTTP tracker
 * skips); later releases moved it to `track.http.ignoreUrls` and ignore the old key, which strict
 * option checking would refuse, failing the dev server or the build of a config that worked. It
 * is read as the new one: added to `track.http.ignoreUrls` when HTTP tracking is on, dropped when
 * it is off (nothing to skip).
 */
export function upgradeLegacyOptions(options: TrackerPluginOptions): UpgradedOptions {
  const track = options?.track as (Record<string, unknown> & { ignoreUrls?: unknown }) | undefined;
  if (track === null || typeof track !== 'object' || !('ignoreUrls' in track))
    return { options, notices: [] };
  const { ignoreUrls, ...rest } = track;
  const old = Array.isArray(ignoreUrls) ? ignoreUrls : [ignoreUrls];
  const http = rest.http;
  let nextHttp = http;
  if (http === true) nextHttp = { ignoreUrls: old };
  else if (http !== null && typeof http === 'object') {
    const current = (http as { ignoreUrls?: unknown }).ignoreUrls;
    nextHttp = { ...http, ignoreUrls: [...(Array.isArray(current) ? current : []), ...old] };
  }
  const upgraded = { ...rest, ...(nextHttp === undefined ? {} : { http: nextHttp }) };
  return {
    options: { ...options, track: upgraded } as TrackerPluginOptions,
    notices: [
      'track.ignoreUrls (vite-plugin-monitor 1.0–1.2) is read as track.http.ignoreUrls: move it there.',
    ],
  };
}
