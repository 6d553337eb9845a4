import type { Api } from './api.ts';

/** How far back the fallback looks, and how many events it reads to find the sites. */
const SITES_WINDOW_MS = 30 * 24 * 3_600_000;
const SITES_SAMPLE = 200;

/**
 * The sites the picker offers: the server's site list; from a server that cannot list its sites,
 * `known` plus the sites of the newest events the read endpoint answers without `site`.
 */
export async function findSites(api: Api, known: readonly string[]): Promise<string[]> {
  const listed = await api.sites();
  if (listed) return listed;
  const until = Date.now();
  const page = await api.events({ site: '', since: until - SITES_WINDOW_MS, until }, {}, SITES_SAMPLE);
  const found = new Set(known);
  for (const event of page.events) if (event.appId) found.add(event.appId);
  return [...found];
}
