/** UTM parameters and ad click ids (gclid, fbclid, msclkid… — those core's campaign parser reads). */
const CAMPAIGN = /^(utm_|\w*clid$|[gw]braid$|li_fat_id$)/;

/**
 * The URL to report for the current page: the hash dropped (it may hold tokens) unless hash mode
 * counts it as the route, and the landing page's campaign parameters added back when a client-side
 * navigation dropped them, so that a session starting on a later page still knows its campaign.
 */
export function pageUrlFactory(hashMode: unknown): () => string {
  const landing = new URLSearchParams(location.search);
  return () => {
    const url = new URL(location.href);
    const params = url.searchParams;
    if (!hashMode) url.hash = '';
    for (const [key, value] of landing) if (CAMPAIGN.test(key) && !params.has(key)) params.set(key, value);
    return url.href;
  };
}
