import { LIMITS } from '@skopos/core';
import type { SiteSpec } from './options.ts';

const HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** `my-app` or `my-app=example.com` → a site; a message saying what is wrong otherwise. */
export function parseSiteArg(arg: string): SiteSpec | string {
  const eq = arg.indexOf('=');
  const trackingId = (eq === -1 ? arg : arg.slice(0, eq)).trim();
  const domain =
    eq === -1
      ? ''
      : arg
          .slice(eq + 1)
          .trim()
          .toLowerCase();
  if (trackingId === '' || trackingId.length > LIMITS.siteIdMaxChars) {
    return `--site "${arg}": the trackingId must be 1 to ${LIMITS.siteIdMaxChars} characters`;
  }
  if (domain !== '' && !HOST.test(domain)) {
    return `--site "${arg}": the domain must be a bare host such as example.com (no scheme, port or path)`;
  }
  return domain === '' ? { trackingId } : { trackingId, domain };
}
