import type { Tracker } from '../types.ts';

/** Links whose path ends like this are counted as downloads. */
export const DOWNLOAD_EXTENSIONS =
  /\.(7z|apk|avi|csv|deb|dmg|docx?|epub|exe|gz|iso|json|mov|mp3|mp4|msi|pdf|pkg|pptx?|rar|rpm|tgz|txt|wav|xlsx?|xml|zip)$/i;

export interface OutboundLinkOptions {
  /** Paths counted as file downloads (default: `DOWNLOAD_EXTENSIONS`). */
  downloads?: RegExp;
}

/**
 * Sends `outbound-link` for clicks (left or middle) on links to another host and `file-download`
 * for links to files, each with `{ url }`: the link's origin and path, without its query or hash
 * (they may carry tokens). The page going away is fine: the core tracker beacons on `pagehide`.
 * Answers a function that stops it.
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 * import { trackOutboundLinks } from '@skopos/browser/outbound';
 *
 * const skopos = createTracker({ site: 'my-app' });
 * trackOutboundLinks(skopos);
 */
export function trackOutboundLinks(
  tracker: Pick<Tracker, 'track'>,
  options: OutboundLinkOptions = {},
): () => void {
  const downloads = options.downloads ?? DOWNLOAD_EXTENSIONS;
  const listener = (event: MouseEvent): void => {
    const link = (event.target as Element).closest?.<HTMLAnchorElement>('a[href]');
    if (!link || !/^https?:$/.test(link.protocol) || event.button > 1) return;
    const url = link.origin + link.pathname;
    if (downloads.test(link.pathname)) tracker.track('file-download', { url });
    else if (link.host !== location.host) tracker.track('outbound-link', { url });
  };
  // `auxclick` is the middle button ("open in a new tab"); capture so that stopPropagation cannot hide it.
  document.addEventListener('click', listener, true);
  document.addEventListener('auxclick', listener, true);
  return () => {
    document.removeEventListener('click', listener, true);
    document.removeEventListener('auxclick', listener, true);
  };
}
