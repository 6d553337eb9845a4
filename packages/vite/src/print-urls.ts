import { type ClientEndpoints, type EffectiveMode, TRACKER_BASE } from './endpoints.ts';

/** What the banner lines need of one dev or preview server. */
export interface BannerFacts {
  /** The server's first local URL (`http://localhost:5173/`), as Vite prints it. */
  localUrl: string;
  mode: EffectiveMode;
  /** The mode's endpoints as the dev page gets them (`clientEndpoints(options, 'serve')`). */
  endpoints: ClientEndpoints;
  /** The dashboard's route, or false when it is off. */
  dashboardRoute: string | false;
}

/**
 * The lines added under Vite's own URLs when it prints them, as vite-plugin-monitor does: where the
 * tracker API answers and where the dashboard is. The tracker routes are at the origin's root
 * whatever Vite's `base`, as the injected config has them.
 */
export function bannerLines({ localUrl, mode, endpoints, dashboardRoute }: BannerFacts): string[] {
  const origin = new URL(localUrl).origin;
  const api =
    mode === 'middleware'
      ? `${origin}${TRACKER_BASE}`
      : mode === 'websocket'
        ? endpoints.wsEndpoint
        : endpoints.readEndpoint;
  const lines: string[] = [];
  // Standalone on port 0: the port is known only once it listens (logged then).
  if (api && !/^https?:\/\/[^/]+:0\//.test(api)) lines.push(`  ➜  Tracker API: ${new URL(api, origin).href}`);
  if (dashboardRoute !== false) lines.push(`  ➜  Dashboard:   ${origin}${dashboardRoute}`);
  return lines;
}
