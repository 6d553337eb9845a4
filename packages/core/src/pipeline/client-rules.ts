import type { BotDetector } from '../detect/index.ts';
import { isLocalHostname, isLoopbackIp } from '../net/index.ts';
import type { HeaderSource } from '../util/headers.ts';
import type { CompiledSite } from './site-cache.ts';
import type { DropReason } from './types.ts';

export interface ClientFacts {
  ip: string;
  userAgent: string;
  headers: HeaderSource;
  /** The page's hostname ('' for server events). */
  hostname: string;
}

/** Pipeline step 4, in the SPEC's order: blacklist, localhost, bot. `null` = keep the event. */
export function clientDropReason(
  site: CompiledSite,
  client: ClientFacts,
  bots: BotDetector | null,
): DropReason | null {
  if (client.ip && site.isBlacklisted(client.ip)) return 'ip_blacklisted';
  if (
    site.config.disableLocalhostTracking &&
    ((client.ip !== '' && isLoopbackIp(client.ip)) ||
      (client.hostname !== '' && isLocalHostname(client.hostname)))
  ) {
    return 'localhost';
  }
  if (bots?.isBot(client.userAgent, client.headers)) return 'bot';
  return null;
}
